import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { responseBody } from '@paved/openapi-client-utils';
import {
  Incident,
  IncidentList,
  IncidentsApiClient,
} from '@paved/plugin-incidents-common';

/** The incidents that count against a component's or team's deployments. */
export interface IncidentSource {
  /** Incidents of an entity or of a group's entities (all when neither), opened at or after `since`. */
  list(query: {
    entityRef?: string;
    owner?: string;
    since: string;
  }): Promise<Incident[]>;
}

/** The incidents API's largest page. */
const PAGE = 100;
/** Enough for any DORA period; beyond it the oldest are left out. */
const MAX_PAGES = 50;

/**
 * The incidents plugin's API, read with the provisioning plugin's own service token
 * (the figures are the same whoever looks). A backend without the incidents plugin
 * (its API answers 404) has no incidents.
 */
export function httpIncidentSource(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): IncidentSource {
  const api = new IncidentsApiClient({
    discoveryApi: options.discovery,
    fetchApi: { fetch },
  });
  return {
    async list({ entityRef, owner, since }) {
      const token = await options.auth.getPluginRequestToken({
        onBehalfOf: await options.auth.getOwnServiceCredentials(),
        targetPluginId: 'incidents',
      });
      const found: Incident[] = [];
      for (let page = 0; page < MAX_PAGES; page++) {
        let list: IncidentList;
        try {
          list = await responseBody<IncidentList>(
            api.listIncidents(
              {
                query: { entityRef, owner, limit: PAGE, offset: page * PAGE },
              },
              token,
            ),
          );
        } catch (error) {
          if (ResponseError.is(error) && error.statusCode === 404 && !page) {
            return [];
          }
          throw error;
        }
        // Newest first: once one is older than the period, the rest are too.
        const start = Date.parse(since);
        const inPeriod = list.items.filter(
          i => Date.parse(i.openedAt) >= start,
        );
        found.push(...inPeriod);
        if (
          inPeriod.length < list.items.length ||
          list.items.length < PAGE ||
          (page + 1) * PAGE >= list.totalCount
        ) {
          break;
        }
      }
      return found;
    },
  };
}

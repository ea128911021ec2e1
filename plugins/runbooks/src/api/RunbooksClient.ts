import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { responseBody } from '@paved/openapi-client-utils';
import { Incident, IncidentsApiClient } from '@paved/plugin-incidents-common';
import {
  RunbookRun,
  RunbookSummary,
  RunbooksApiClient,
} from '@paved/plugin-runbooks-common';
import { RunbooksApi } from './RunbooksApi';

/**
 * {@link RunbooksApi} over the clients generated from the runbooks and incidents
 * backends' OpenAPI documents, with the app's discovery and fetch.
 *
 * @public
 */
export class RunbooksClient implements RunbooksApi {
  private readonly runbooks: RunbooksApiClient;
  private readonly incidents: IncidentsApiClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.runbooks = new RunbooksApiClient(options);
    this.incidents = new IncidentsApiClient(options);
  }

  async listRunbooks(entityRef: string): Promise<RunbookSummary[]> {
    const { items } = await responseBody<{ items: RunbookSummary[] }>(
      this.runbooks.listRunbooks({ query: { entityRef } }),
    );
    return items;
  }

  async listRuns(entityRef: string): Promise<RunbookRun[]> {
    const { items } = await responseBody<{ items: RunbookRun[] }>(
      this.runbooks.listRuns({ query: { entityRef } }),
    );
    return items;
  }

  async listOpenIncidents(entityRef: string): Promise<Incident[]> {
    try {
      const { items } = await responseBody<{ items: Incident[] }>(
        this.incidents.listIncidents({
          query: { status: 'open', limit: 5, entityRef },
        }),
      );
      return items;
    } catch {
      // The incidents plugin is optional here: without it there is no banner.
      return [];
    }
  }
}

import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { responseBody } from '@paved/openapi-client-utils';
import { AdoptionApiClient } from '@paved/plugin-adoption-common';
import {
  ActiveUsers,
  AdoptionApi,
  DashboardQuery,
  Docs,
  GoldenPaths,
  Nps,
  Searches,
  SurveyStatus,
  Usage,
} from './AdoptionApi';

/** The query of the generated dashboard calls, as the client's types spell it. */
type GeneratedDashboardQuery = Parameters<
  AdoptionApiClient['getUsage']
>[0]['query'];

/**
 * {@link AdoptionApi} over the client generated from the backend's OpenAPI
 * document, with the app's discovery and fetch.
 *
 * @public
 */
export class AdoptionClient implements AdoptionApi {
  private readonly client: AdoptionApiClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.client = new AdoptionApiClient(options);
  }

  getActiveUsers(query: DashboardQuery): Promise<ActiveUsers> {
    return responseBody(
      this.client.getActiveUsers({ query: dashboard(query) }),
    );
  }

  getUsage(query: DashboardQuery): Promise<Usage> {
    return responseBody(this.client.getUsage({ query: dashboard(query) }));
  }

  getSearches(query: DashboardQuery): Promise<Searches> {
    return responseBody(this.client.getSearches({ query: dashboard(query) }));
  }

  getGoldenPaths(query: DashboardQuery): Promise<GoldenPaths> {
    return responseBody(
      this.client.getGoldenPaths({ query: dashboard(query) }),
    );
  }

  getDocs(query: DashboardQuery): Promise<Docs> {
    return responseBody(this.client.getDocs({ query: dashboard(query) }));
  }

  getNps(query: DashboardQuery): Promise<Nps> {
    // The NPS is over everyone: the backend ignores `team`.
    return responseBody(
      this.client.getNps({
        query: dashboard({ from: query.from, to: query.to }),
      }),
    );
  }

  refresh(): Promise<{ days: number }> {
    return responseBody(this.client.refreshRollups({}));
  }

  getSurveyStatus(): Promise<SurveyStatus> {
    return responseBody(this.client.getSurveyStatus({}));
  }

  async respondToSurvey(answer: {
    score: number;
    comment?: string;
  }): Promise<void> {
    await responseBody(this.client.postSurveyResponse({ body: answer }));
  }

  async dismissSurvey(): Promise<void> {
    await responseBody(this.client.postSurveyDismissal({}));
  }
}

/**
 * The generator renames the query parameter `from` (a reserved word) to `_from` in
 * its request types, yet expands its URI template `{?from,to,team}` from the query
 * object as it is given: `_from` would never be sent. So `from` goes in under the
 * name the spec and the backend use.
 */
function dashboard(query: DashboardQuery): GeneratedDashboardQuery {
  const { from, to, team } = query;
  return { from, to, team } as GeneratedDashboardQuery;
}

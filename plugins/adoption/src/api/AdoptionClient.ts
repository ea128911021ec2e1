import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
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

/** {@link AdoptionApi} over HTTP, with the app's discovery and fetch. @public */
export class AdoptionClient implements AdoptionApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  getActiveUsers(query: DashboardQuery): Promise<ActiveUsers> {
    return this.dashboard('active-users', query);
  }

  getUsage(query: DashboardQuery): Promise<Usage> {
    return this.dashboard('usage', query);
  }

  getSearches(query: DashboardQuery): Promise<Searches> {
    return this.dashboard('searches', query);
  }

  getGoldenPaths(query: DashboardQuery): Promise<GoldenPaths> {
    return this.dashboard('golden-paths', query);
  }

  getDocs(query: DashboardQuery): Promise<Docs> {
    return this.dashboard('docs', query);
  }

  getNps(query: DashboardQuery): Promise<Nps> {
    // The NPS is over everyone: the backend ignores `team`.
    return this.dashboard('nps', { from: query.from, to: query.to });
  }

  refresh(): Promise<{ days: number }> {
    return this.call('/dashboard/refresh', {});
  }

  getSurveyStatus(): Promise<SurveyStatus> {
    return this.call('/survey/status');
  }

  async respondToSurvey(answer: {
    score: number;
    comment?: string;
  }): Promise<void> {
    await this.call('/survey/responses', answer);
  }

  async dismissSurvey(): Promise<void> {
    await this.call('/survey/dismissals', {});
  }

  private dashboard<T>(section: string, query: DashboardQuery): Promise<T> {
    const params = new URLSearchParams({ from: query.from, to: query.to });
    if (query.team) params.set('team', query.team);
    return this.call(`/dashboard/${section}?${params}`);
  }

  private async call<T>(path: string, body?: object): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('adoption');
    const response = await this.options.fetchApi.fetch(
      `${baseUrl}${path}`,
      body
        ? {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          }
        : undefined,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.json();
  }
}

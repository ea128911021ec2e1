import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { Incident } from '@paved/plugin-incidents-common';
import { RunbookRun, RunbookSummary } from '@paved/plugin-runbooks-common';
import { RunbooksApi } from './RunbooksApi';

/** {@link RunbooksApi} over HTTP, with the app's discovery and fetch. @public */
export class RunbooksClient implements RunbooksApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  async listRunbooks(entityRef: string): Promise<RunbookSummary[]> {
    const { items } = await this.get<{ items: RunbookSummary[] }>(
      'runbooks',
      `/runbooks?entityRef=${encodeURIComponent(entityRef)}`,
    );
    return items;
  }

  async listRuns(entityRef: string): Promise<RunbookRun[]> {
    const { items } = await this.get<{ items: RunbookRun[] }>(
      'runbooks',
      `/runs?entityRef=${encodeURIComponent(entityRef)}`,
    );
    return items;
  }

  async listOpenIncidents(entityRef: string): Promise<Incident[]> {
    try {
      const { items } = await this.get<{ items: Incident[] }>(
        'incidents',
        `/incidents?status=open&limit=5&entityRef=${encodeURIComponent(
          entityRef,
        )}`,
      );
      return items;
    } catch {
      // The incidents plugin is optional here: without it there is no banner.
      return [];
    }
  }

  private async get<T>(pluginId: string, path: string): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl(pluginId);
    const response = await this.options.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { ScorecardApi } from './ScorecardApi';
import {
  EntityHistory,
  EntityScorecard,
  EvaluationSummary,
  ImpactPreview,
  LevelDistribution,
  OrganizationMaturity,
  PreviewRequest,
  TeamScorecard,
  TrackDefinition,
  Trend,
} from './types';

const query = (params: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
};

/** {@link ScorecardApi} over HTTP, with the app's discovery and fetch. @public */
export class ScorecardClient implements ScorecardApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  async listTracks(): Promise<TrackDefinition[]> {
    const { items } = await this.call<{ items: TrackDefinition[] }>('/tracks');
    return items;
  }

  getEntityScorecard(entityRef: string): Promise<EntityScorecard> {
    return this.call(`/entities/${encodeURIComponent(entityRef)}/scorecard`);
  }

  getEntityHistory(entityRef: string, limit?: number): Promise<EntityHistory> {
    return this.call(
      `/entities/${encodeURIComponent(entityRef)}/history${query({ limit })}`,
    );
  }

  getTeamScorecard(groupRef: string, trackId?: string): Promise<TeamScorecard> {
    return this.call(
      `/teams/${encodeURIComponent(groupRef)}/scorecard${query({ trackId })}`,
    );
  }

  getOrganizationLevels(trackId?: string): Promise<LevelDistribution> {
    return this.call(`/organization/levels${query({ trackId })}`);
  }

  getOrganizationTrend(
    options: { trackId?: string; days?: number } = {},
  ): Promise<Trend> {
    return this.call(`/organization/trend${query(options)}`);
  }

  getOrganizationMaturity(): Promise<OrganizationMaturity> {
    return this.call('/organization/maturity');
  }

  evaluate(entityRef?: string): Promise<EvaluationSummary> {
    return this.call('/evaluate', entityRef ? { entityRef } : {});
  }

  previewChecks(request: PreviewRequest): Promise<ImpactPreview> {
    return this.call('/checks/preview', request);
  }

  private async call<T>(path: string, body?: object): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('scorecard');
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
    return (await response.json()) as T;
  }
}

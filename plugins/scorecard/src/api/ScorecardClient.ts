import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { responseBody } from '@paved/openapi-client-utils';
import { ScorecardApiClient } from '@paved/plugin-scorecard-common';
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

/**
 * {@link ScorecardApi} over the client generated from the backend's OpenAPI
 * document, with the app's discovery and fetch.
 *
 * @public
 */
export class ScorecardClient implements ScorecardApi {
  private readonly client: ScorecardApiClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.client = new ScorecardApiClient(options);
  }

  async listTracks(): Promise<TrackDefinition[]> {
    const { items } = await responseBody<{ items: TrackDefinition[] }>(
      this.client.listTracks({}),
    );
    return items;
  }

  getEntityScorecard(entityRef: string): Promise<EntityScorecard> {
    return responseBody(
      this.client.getEntityScorecard({ path: { entityRef } }),
    );
  }

  getEntityHistory(entityRef: string, limit?: number): Promise<EntityHistory> {
    return responseBody(
      this.client.getEntityHistory({ path: { entityRef }, query: { limit } }),
    );
  }

  getTeamScorecard(groupRef: string, trackId?: string): Promise<TeamScorecard> {
    return responseBody(
      this.client.getTeamScorecard({ path: { groupRef }, query: { trackId } }),
    );
  }

  getOrganizationLevels(trackId?: string): Promise<LevelDistribution> {
    return responseBody(
      this.client.getOrganizationLevels({ query: { trackId } }),
    );
  }

  getOrganizationTrend(
    options: { trackId?: string; days?: number } = {},
  ): Promise<Trend> {
    return responseBody(this.client.getOrganizationTrend({ query: options }));
  }

  getOrganizationMaturity(): Promise<OrganizationMaturity> {
    return responseBody(this.client.getOrganizationMaturity({}));
  }

  evaluate(entityRef?: string): Promise<EvaluationSummary> {
    return responseBody(
      this.client.evaluate({ body: entityRef ? { entityRef } : {} }),
    );
  }

  previewChecks(request: PreviewRequest): Promise<ImpactPreview> {
    return responseBody(this.client.previewChecks({ body: request }));
  }
}

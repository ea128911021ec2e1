import { createApiRef } from '@backstage/frontend-plugin-api';
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

/** The scorecard backend, as the frontend uses it. @public */
export interface ScorecardApi {
  listTracks(): Promise<TrackDefinition[]>;
  /** Rejects with a 404 `ResponseError` when the entity has not been scored yet. */
  getEntityScorecard(entityRef: string): Promise<EntityScorecard>;
  getEntityHistory(entityRef: string, limit?: number): Promise<EntityHistory>;
  getTeamScorecard(groupRef: string, trackId?: string): Promise<TeamScorecard>;
  getOrganizationLevels(trackId?: string): Promise<LevelDistribution>;
  getOrganizationTrend(options?: {
    trackId?: string;
    days?: number;
  }): Promise<Trend>;
  getOrganizationMaturity(): Promise<OrganizationMaturity>;
  evaluate(entityRef?: string): Promise<EvaluationSummary>;
  /** Rejects with a 403 `ResponseError` for those who may not change checks. */
  previewChecks(request: PreviewRequest): Promise<ImpactPreview>;
}

/** @public */
export const scorecardApiRef = createApiRef<ScorecardApi>({
  id: 'plugin.scorecard.service',
});

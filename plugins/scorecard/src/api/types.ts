import {
  EntityScorecard,
  TrackDefinition,
} from '@paved/plugin-scorecard-common';

export type { EntityScorecard, TrackDefinition };

/** One row of an entity's history: an evaluation in which something changed. */
export interface EntityHistoryItem {
  trackId: string;
  level: number;
  levelName: string;
  failing: string[];
  recordedAt: string;
}

/** `GET /entities/{ref}/history`. */
export interface EntityHistory {
  entityRef: string;
  items: EntityHistoryItem[];
}

/** How many entities are at a level. */
export interface LevelCount {
  level: number;
  name: string;
  count: number;
}

/** `GET /organization/levels`. */
export interface LevelDistribution {
  trackId: string;
  total: number;
  levels: LevelCount[];
}

/** A check failing for some of a team's entities. */
export interface FailingCheck {
  checkId: string;
  title: string;
  level: number;
  failing: number;
  share: number;
  howToFix?: string;
  fixUrl?: string;
}

/** `GET /teams/{groupRef}/scorecard`. */
export interface TeamScorecard {
  groupRef: string;
  trackId: string;
  total: number;
  levels: LevelCount[];
  failingChecks: FailingCheck[];
  entities: Array<{ entityRef: string; level: number }>;
}

/** `GET /organization/trend`. */
export interface Trend {
  trackId: string;
  days: Array<{ day: string; levels: Array<{ level: number; count: number }> }>;
}

/** One criterion of an organization maturity level, with its evidence. */
export interface MaturityCriterion {
  description: string;
  value?: number;
  threshold: number;
  met: boolean;
  evidence: string;
}

/** `GET /organization/maturity`. */
export interface OrganizationMaturity {
  level: number;
  levelName: string;
  components: number;
  levels: Array<{
    level: number;
    name: string;
    met: boolean;
    criteria: MaturityCriterion[];
  }>;
}

/** `POST /evaluate`. */
export interface EvaluationSummary {
  evaluated: number;
  changed: number;
  removed: number;
  durationMs: number;
}

/** The body of `POST /checks/preview`: a check to add or change, or one to remove. */
export type PreviewRequest =
  | {
      trackId: string;
      level: number;
      check: {
        id: string;
        title?: string;
        rules: Array<{ fact: string; operator: string; value?: unknown }>;
      };
    }
  | { trackId: string; removeCheck: string };

/** `POST /checks/preview`. */
export interface ImpactPreview {
  trackId: string;
  evaluated: number;
  movedUp: number;
  movedDown: number;
  unchanged: number;
  entities: Array<{ entityRef: string; from: number | null; to: number }>;
  distribution: Array<{ level: number; before: number; after: number }>;
}

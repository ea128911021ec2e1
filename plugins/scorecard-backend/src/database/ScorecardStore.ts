import { FactValue } from '@paved/plugin-scorecard-common';

/** The facts of an entity as last evaluated. */
export interface StoredEntity {
  entityRef: string;
  kind: string;
  type?: string;
  owner: string | null;
  etag: string | null;
  facts: Record<string, FactValue>;
  factsHash: string;
}

/** An entity's score on one track, with every check's result. */
export interface StoredScore {
  entityRef: string;
  trackId: string;
  level: number;
  owner: string | null;
  /** The level and each check's pass/fail; history records a change of it. */
  checksHash: string;
  results: { checkId: string; passed: boolean }[];
}

export interface EvaluationWrite {
  at: Date;
  /** Entities whose facts or etag changed (only these are written). */
  entities: StoredEntity[];
  /** Scores whose results changed; `historic` ones also get a history row. */
  scores: (StoredScore & { historic: boolean })[];
}

export interface HistoryRow {
  trackId: string;
  level: number;
  failing: string[];
  recordedAt: string;
}

export interface ScorecardStore {
  /** etag and facts hash per entity ref; all of them, or those of `refs`. */
  getEntityStates(
    refs?: string[],
  ): Promise<Map<string, { etag: string | null; factsHash: string }>>;
  /** checks hash per `${entityRef} ${trackId}`. */
  getScoreStates(refs?: string[]): Promise<Map<string, string>>;
  write(write: EvaluationWrite): Promise<void>;
  /**
   * A number that changes (in the same transaction) whenever stored entities or
   * levels are written or deleted, on whichever replica.
   */
  getRevision(): Promise<number>;
  deleteEntities(refs: string[]): Promise<void>;
  listEntities(): Promise<StoredEntity[]>;
  getEntity(entityRef: string): Promise<StoredEntity | undefined>;
  getScores(entityRef: string): Promise<StoredScore[]>;
  getEvaluatedAt(entityRef: string): Promise<string | undefined>;
  getHistory(entityRef: string, limit: number): Promise<HistoryRow[]>;
  /** Current levels of the entities owned by `owners`. */
  listLevels(filter: {
    trackId: string;
    owners?: string[];
  }): Promise<{ entityRef: string; level: number }[]>;
  /** Failing checks of the entities owned by `owners`, counted. */
  countFailing(filter: {
    trackId: string;
    owners?: string[];
  }): Promise<{ checkId: string; failing: number }[]>;
  levelDistribution(trackId: string): Promise<Map<number, number>>;
  recordDailySnapshot(day: string, trackId: string): Promise<void>;
  getTrend(
    trackId: string,
    sinceDay: string,
  ): Promise<{ day: string; level: number; count: number }[]>;
}

import {
  ChangeRequest,
  ChangeState,
  ConflictSides,
  FileChange,
} from '@paved/plugin-upgrades-common';

/** What a change is recorded with, before its branch exists. */
export type NewChange = Pick<
  ChangeRequest,
  | 'id'
  | 'entityRef'
  | 'target'
  | 'repository'
  | 'templateRef'
  | 'fromVersion'
  | 'toVersion'
  | 'branch'
  | 'title'
  | 'campaignId'
  | 'createdBy'
  | 'createdAt'
>;

/** What can change of a recorded change. */
export interface ChangeUpdate {
  state?: ChangeState;
  url?: string;
  files?: FileChange[];
  conflicts?: string[];
  baseCommit?: string;
  headCommit?: string;
  mergeCommit?: string;
  mergedAt?: string;
  closedAt?: string;
  updatedAt: string;
  /** Replaces the stored sides of the conflicted files. */
  conflictSides?: Array<{ path: string } & ConflictSides>;
}

/** @public */
export interface ChangeFilter {
  entityRef?: string;
  campaignId?: string;
  states?: ChangeState[];
  /** Default 500. */
  limit?: number;
}

/** Change requests, one active per service and template version. */
export interface ChangeStore {
  /**
   * Records a change in state `proposing`. When an active change for the same
   * service and version exists, nothing is written and that change is returned
   * (`created: false`): proposing is idempotent, also between racing requests.
   */
  insertProposing(
    change: NewChange,
  ): Promise<{ change: ChangeRequest; created: boolean }>;
  /** NotFoundError when there is no such change. */
  update(id: string, update: ChangeUpdate): Promise<ChangeRequest>;
  get(id: string): Promise<ChangeRequest | undefined>;
  /** Removes a `proposing` change whose branch was never written. */
  removeProposing(id: string): Promise<void>;
  /** Newest first. */
  list(filter: ChangeFilter): Promise<ChangeRequest[]>;
  /** The active change for the service (and version), the newest if several. */
  getActiveByEntity(
    entityRef: string,
    toVersion?: string,
  ): Promise<ChangeRequest | undefined>;
  /** The service's most recent change in any state. */
  latestByEntity(entityRef: string): Promise<ChangeRequest | undefined>;
  /** Both sides of the change's conflicted files, by path. */
  conflictSides(id: string): Promise<Map<string, ConflictSides>>;
}

import { JsonObject } from '@backstage/types';

/**
 * What a service keeps of the golden path that made it, in its own repository
 * ({@link GOLDEN_PATH_FILE}): the template, the version and the form's answers, so
 * that an upgrade can render the template again with the same inputs. Never secrets:
 * the scaffolder keeps those apart from the parameters.
 *
 * @public
 */
export interface GoldenPathAnswers {
  /** e.g. template:default/typescript-service */
  template: string;
  /** The template's paved.dev/template-version that rendered the repository. */
  version: string;
  /** The template's parameters as the Create form sent them. */
  values: JsonObject;
}

/** One released version of a template and what changed in it, from its CHANGELOG.md. @public */
export interface ChangelogEntry {
  version: string;
  /** ISO date (YYYY-MM-DD) from the heading, when it has one. */
  date?: string;
  /** The entry's Markdown, without its heading. */
  text: string;
}

/** Where change requests are made: the same target golden paths publish to. @public */
export type ChangeTargetKind = 'local' | 'github' | 'gitlab';

/**
 * - `proposing`: recorded, the branch is being written (a crash leaves it here and the
 *   next proposal finishes it);
 * - `open`: ready to merge;
 * - `conflicted`: the service's edits and the template's overlap; the branch holds
 *   conflict markers to resolve before merging;
 * - `merged`, `closed`: done.
 *
 * @public
 */
export type ChangeState =
  | 'proposing'
  | 'open'
  | 'conflicted'
  | 'merged'
  | 'closed';

/** The states in which a change is still active (one per service and version). @public */
export const ACTIVE_CHANGE_STATES: readonly ChangeState[] = [
  'proposing',
  'open',
  'conflicted',
];

/** @public */
export type FileChangeStatus = 'added' | 'modified' | 'deleted';

/** One file a change touches, against the service's default branch. @public */
export interface FileChange {
  path: string;
  status: FileChangeStatus;
  /** The service's edits and the template's overlap in this file. */
  conflicted: boolean;
}

/** A template upgrade proposed to one service's repository. @public */
export interface ChangeRequest {
  id: string;
  /** The component, e.g. component:default/orders-api */
  entityRef: string;
  target: ChangeTargetKind;
  /** The repository's name (local) or URL (GitHub, GitLab). */
  repository: string;
  templateRef: string;
  fromVersion: string;
  toVersion: string;
  /** e.g. paved/upgrade-typescript-service-1.1.0 */
  branch: string;
  state: ChangeState;
  title: string;
  /** The pull or merge request on GitHub or GitLab; absent for the local target. */
  url?: string;
  files: FileChange[];
  /** Paths of the conflicted files (also flagged in `files`). */
  conflicts: string[];
  /** The campaign that opened it, if any. */
  campaignId?: string;
  /** The default branch's head the change was made on. */
  baseCommit?: string;
  /** The change's own head commit. */
  headCommit?: string;
  /** The merge commit on the default branch, once merged. */
  mergeCommit?: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  mergedAt?: string;
  closedAt?: string;
}

/** One side of a conflicted file, as text (absent when that side has no file). @public */
export interface ConflictSides {
  /** The file as the recorded template version rendered it. */
  base?: string;
  /** The file on the service's default branch: the team's version. */
  ours?: string;
  /** The file as the new template version renders it. */
  theirs?: string;
}

/** One file of a change's diff. @public */
export interface FileDiff extends FileChange {
  /** Unified diff against the default branch (git diff), possibly empty for binaries. */
  patch: string;
  binary: boolean;
  /** For a conflicted file, both sides and the base. */
  conflict?: ConflictSides;
}

/** `GET /changes/{id}/diff` @public */
export interface ChangeDiff {
  changeId: string;
  files: FileDiff[];
}

/**
 * `GET /entities/{kind}/{namespace}/{name}/upgrade`: whether a component can move
 * to a newer version of its golden path.
 *
 * @public
 */
export interface UpgradeStatus {
  entityRef: string;
  /**
   * The recorded golden path: from the repository's golden-path file when it can be
   * read, else from the entity's paved.dev/template annotations.
   */
  lineage?: {
    templateRef: string;
    version: string;
    source: 'repository' | 'annotation';
  };
  /** The template's current version. */
  latestVersion?: string;
  /** A newer version exists and can be proposed now. */
  available: boolean;
  /** Changelog entries newer than the recorded version, newest first. */
  changelog: ChangelogEntry[];
  /** The active change for this service, else its most recent one. */
  change?: ChangeRequest;
  /**
   * Why no upgrade can be proposed, for the user (no lineage, the recorded version
   * was never released or is gone, no repository found).
   */
  problem?: string;
}

/** `GET /templates/{namespace}/{name}/versions` @public */
export interface TemplateVersionList {
  templateRef: string;
  latest: string;
  /** Released versions, newest first. */
  versions: ChangelogEntry[];
}

/** `POST /changes` @public */
export interface ProposeBody {
  entityRef: string;
  /** Default: the template's latest version. */
  toVersion?: string;
}

/** Where a campaign's services are: every state counts each service once. @public */
export interface CampaignCounts {
  total: number;
  notStarted: number;
  open: number;
  conflicted: number;
  merged: number;
  closed: number;
}

/** @public */
export type CampaignTargetState = 'not-started' | ChangeState;

/** One service a campaign applies to. @public */
export interface CampaignTarget {
  entityRef: string;
  /** The owner's entity ref, from the catalog. */
  owner?: string;
  /** The version it was on when the campaign found it. */
  fromVersion: string;
  state: CampaignTargetState;
  changeId?: string;
  /** Why no change could be opened for it (kept, retried on the next run). */
  problem?: string;
}

/** A point of a campaign's progress chart. @public */
export interface CampaignProgressPoint {
  at: string;
  counts: CampaignCounts;
}

/** A platform team's drive to move services of a template to a version by a date. @public */
export interface Campaign {
  id: string;
  title: string;
  description?: string;
  templateRef: string;
  /** semver range of the versions it moves, e.g. "1.x" or "<1.1.0". */
  fromRange: string;
  toVersion: string;
  /** ISO date (YYYY-MM-DD). */
  deadline: string;
  createdBy: string;
  createdAt: string;
  /** The last time it opened changes. */
  lastRunAt?: string;
  counts: CampaignCounts;
}

/** `GET /campaigns/{id}` @public */
export interface CampaignDetails extends Campaign {
  targets: CampaignTarget[];
  progress: CampaignProgressPoint[];
}

/** `POST /campaigns` @public */
export interface CreateCampaignBody {
  title: string;
  description?: string;
  templateRef: string;
  /** Default: the template's latest version. */
  toVersion?: string;
  /** Default: every version below toVersion. */
  fromRange?: string;
  deadline: string;
}

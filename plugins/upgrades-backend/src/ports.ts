/*
 * The seams of the upgrades backend. An upgrade is:
 *   TemplateVersions.read(old) + read(new)      the template as released, side by side
 *   TemplateRenderer.render(each, answers)      the real scaffolder's dry run
 *   ChangeTarget.propose(base, theirs)          git's three-way merge onto the
 *                                               service's head, as a branch
 * and ChangeStore records it before the branch exists, so a crash never leaves a
 * branch without its record.
 */
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { TemplateEntityV1beta3 } from '@backstage/plugin-scaffolder-common';
import { JsonObject } from '@backstage/types';
import {
  ChangeDiff,
  ChangelogEntry,
  ChangeRequest,
  ChangeState,
  ChangeTargetKind,
  ConflictSides,
  FileChange,
  GoldenPathAnswers,
} from '@paved/plugin-upgrades-common';

/** A file of a template or of a rendered repository. */
export interface RepoFile {
  content: Buffer;
  executable?: boolean;
}

/** Files by path (forward slashes, relative to the root, no leading ./). */
export type FileSet = Map<string, RepoFile>;

/** One released version of a template, readable again at any time. */
export interface TemplateVersion {
  /** e.g. template:default/typescript-service */
  templateRef: string;
  version: string;
  /** The template.yaml of that version. */
  entity: TemplateEntityV1beta3;
  /**
   * The files next to that template.yaml (skeleton/ and the rest), as
   * fetch:template's `./skeleton` sees them; never versions/ or CHANGELOG.md.
   */
  files: FileSet;
}

/**
 * Released versions of templates. Layout, next to each template.yaml:
 * - `CHANGELOG.md`: a `## <version>` heading per released version;
 * - `versions/<version>/template.yaml` and its files for every released version but
 *   the current one (the template.yaml beside CHANGELOG.md is the current one).
 */
export interface TemplateVersions {
  /** Newest first; NotFoundError naming the template when it is not in the catalog. */
  list(templateRef: string): Promise<{
    latest: string;
    versions: ChangelogEntry[];
  }>;
  /** NotFoundError naming the version when it was never released or is gone. */
  read(templateRef: string, version: string): Promise<TemplateVersion>;
}

/** Renders a template version with a service's answers, as Create did. */
export interface TemplateRenderer {
  /**
   * The files the template's steps leave in the workspace (a scaffolder dry run).
   * InputError naming the parameter when the answers no longer fit the version's form.
   */
  render(version: TemplateVersion, values: JsonObject): Promise<FileSet>;
}

/** A service's repository, wherever the target keeps it. */
export interface ServiceRepository {
  target: ChangeTargetKind;
  /** Local: the repository name; GitHub/GitLab: owner/name. */
  name: string;
  /** For people: a file:// or https:// URL. */
  url: string;
  defaultBranch: string;
}

/** What {@link ChangeTarget.propose} writes. */
export interface ProposedChange {
  /** Deterministic per service and version, e.g. paved/upgrade-typescript-service-1.1.0 */
  branch: string;
  /** The template at the recorded version, rendered with the service's answers. */
  base: FileSet;
  /** The template at the new version, rendered with the same answers. */
  theirs: FileSet;
  title: string;
  /** Markdown: what changed (the changelog entries) and how to resolve conflicts. */
  body: string;
  author: { name: string; email: string };
}

/** The result of a proposal: the branch (or pull request) and what it changes. */
export interface ProposedResult {
  /** The default branch's head the change was made on. */
  baseCommit: string;
  /** The branch's head commit. */
  headCommit: string;
  /** GitHub/GitLab: the pull or merge request. */
  url?: string;
  files: FileChange[];
  /** Conflicted files with both sides; their content on the branch has conflict markers. */
  conflicts: Array<{ path: string } & ConflictSides>;
}

/**
 * What the target sees of a change's branch now. `known: false` when the target
 * cannot read it back (hosted targets: the request lives on GitHub/GitLab), so the
 * recorded state stands: a conflicted request must not turn open by guessing.
 */
export type BranchState =
  | { known: false }
  | {
      known: true;
      exists: boolean;
      head?: string;
      /** Files on the branch that still hold conflict markers. */
      conflicted: string[];
      /** The branch is already part of the default branch (merged elsewhere). */
      merged: boolean;
    };

/**
 * Where change requests go: the local bare repositories (`./paved start`), or
 * GitHub/GitLab pull requests through the scaffolder's publish modules. Chosen by
 * `paved.scaffolder.publish.target`, like golden paths' publishing.
 */
export interface ChangeTarget {
  readonly kind: ChangeTargetKind;
  /**
   * The repository of a component: InputError when the entity names none,
   * NotFoundError when the repository it names does not exist (moved or deleted).
   */
  locate(entity: Entity): Promise<ServiceRepository>;
  /**
   * The golden-path file on the default branch, if there is one (InputError naming
   * the file when it cannot be read), and the branch's head.
   */
  readAnswers(
    repository: ServiceRepository,
  ): Promise<{ head: string; answers?: GoldenPathAnswers }>;
  /**
   * Three-way merges theirs − base onto the default branch's head and writes the
   * result as `change.branch`. Idempotent: proposing the same change again on the
   * same head gives the same branch and result.
   */
  propose(
    repository: ServiceRepository,
    change: ProposedChange,
  ): Promise<ProposedResult>;
  /**
   * The branch now (after the team pushed resolutions, or merged elsewhere), or
   * `{known: false}` when the target cannot tell.
   */
  inspect(repository: ServiceRepository, branch: string): Promise<BranchState>;
  /**
   * Merges the branch into the default branch (fast-forward when possible, else a
   * merge commit) and moves what reads it (the portal's checkout, the catalog).
   * ConflictError when the branch still has conflict markers or no longer merges;
   * NotAllowedError for hosted targets (merged on the host).
   */
  merge(
    repository: ServiceRepository,
    branch: string,
    options: { message: string; author: { name: string; email: string } },
  ): Promise<{ commit: string }>;
  /** Deletes the branch (local) or closes the request (hosted). Idempotent. */
  close(repository: ServiceRepository, branch: string): Promise<void>;
  /** The branch's diff against the default branch, file by file. */
  diff(
    repository: ServiceRepository,
    branch: string,
  ): Promise<Omit<ChangeDiff, 'changeId'>>;
}

/**
 * What campaigns need of the upgrade service (UpgradeService implements it): propose
 * one service's upgrade with the caller's credentials (authorized, audited,
 * idempotent per service and version), and read changes back.
 */
export interface ChangeProposer {
  propose(request: {
    entityRef: string;
    toVersion?: string;
    campaignId?: string;
    credentials: BackstageCredentials;
  }): Promise<{ change: ChangeRequest; created: boolean }>;
  listChanges(filter: {
    entityRef?: string;
    campaignId?: string;
    states?: ChangeState[];
  }): Promise<ChangeRequest[]>;
}

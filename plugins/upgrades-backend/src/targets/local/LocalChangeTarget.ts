import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { LocalRepositories } from '@paved/plugin-local-repositories-node';
import {
  ChangeDiff,
  FileChangeStatus,
  FileDiff,
  GOLDEN_PATH_FILE,
  GoldenPathAnswers,
  parseGoldenPathFile,
} from '@paved/plugin-upgrades-common';
import {
  BranchState,
  ChangeTarget,
  ProposedChange,
  ProposedResult,
  ServiceRepository,
} from '../../ports';
import {
  fileStatus,
  identityEnv,
  mergeUpgrade,
  readBlobs,
} from '../../git/mergeUpgrade';
import { GitRunner, gitText, runGit } from '../../git/runGit';

const ZERO_OID = '0000000000000000000000000000000000000000';

/** Lines git writes around conflicts: while one remains, the branch cannot merge. */
const MARKER_PATTERN = '^(<<<<<<<|>>>>>>>)( |$)';

export interface LocalChangeTargetOptions {
  repositories: LocalRepositories;
  /** After a merge moved the default branch and the portal's checkout (refresh the catalog entity). */
  onMerged?: (repository: ServiceRepository) => Promise<void>;
  /** Tests interpose here (e.g. a push racing a merge). */
  git?: GitRunner;
}

/**
 * Change requests on the portal's local bare repositories: a change is a branch
 * `paved/upgrade-...` in the repository; merging moves the default branch (with a
 * compare-and-swap, so a concurrent push is never lost) and the portal's checkout
 * (when the repository has one: sample repositories do not).
 *
 * Each proposal also keeps the template renders it merged, under
 * `refs/paved/templates/<branch>` (the new render; its parent is the recorded one),
 * so that {@link LocalChangeTarget.diff} can show a conflict's base and theirs
 * sides later without storing them anywhere else. Closing or merging removes it.
 */
export class LocalChangeTarget implements ChangeTarget {
  readonly kind = 'local' as const;
  private readonly repositories: LocalRepositories;
  private readonly onMerged?: (repository: ServiceRepository) => Promise<void>;
  private readonly run: GitRunner;

  constructor(options: LocalChangeTargetOptions) {
    this.repositories = options.repositories;
    this.onMerged = options.onMerged;
    this.run = options.git ?? runGit;
  }

  async locate(entity: Entity): Promise<ServiceRepository> {
    const entityRef = stringifyEntityRef(entity);
    const annotations = entity.metadata.annotations ?? {};
    for (const annotation of [
      ANNOTATION_LOCATION,
      ANNOTATION_ORIGIN_LOCATION,
      ANNOTATION_SOURCE_LOCATION,
    ]) {
      const url = locationUrl(annotations[annotation]);
      const name = url ? this.repositories.nameOfCheckoutUrl(url) : undefined;
      if (!name) {
        continue;
      }
      if (!(await this.repositories.exists(name))) {
        throw new NotFoundError(
          `${entityRef} comes from the local repository '${name}', which no longer exists (moved or deleted)`,
        );
      }
      return this.describe(name);
    }

    // Sample repositories are published without a checkout-based location: a
    // repository named like the entity that carries a golden-path file is its own.
    const name = entity.metadata.name;
    if (
      isRepositoryName(this.repositories, name) &&
      (await this.repositories.exists(name))
    ) {
      const repository = await this.describe(name);
      const { code } = await this.run(
        [
          ...this.gd(name),
          'cat-file',
          '-e',
          `refs/heads/${repository.defaultBranch}:${GOLDEN_PATH_FILE}`,
        ],
        { okCodes: [1, 128] },
      );
      if (code === 0) {
        return repository;
      }
    }
    throw new InputError(
      `${entityRef} has no repository that Paved can change: it was not created by a golden path into the local repositories`,
    );
  }

  async readAnswers(
    repository: ServiceRepository,
  ): Promise<{ head: string; answers?: GoldenPathAnswers }> {
    const head = await this.head(repository);
    const { stdout, code } = await this.run(
      [...this.gd(repository.name), 'show', `${head}:${GOLDEN_PATH_FILE}`],
      { okCodes: [128] },
    );
    if (code !== 0) {
      return { head };
    }
    try {
      return { head, answers: parseGoldenPathFile(stdout.toString('utf8')) };
    } catch (error) {
      throw new InputError(
        `${GOLDEN_PATH_FILE} of the repository '${
          repository.name
        }' cannot be read: ${(error as Error).message}`,
      );
    }
  }

  async propose(
    repository: ServiceRepository,
    change: ProposedChange,
  ): Promise<ProposedResult> {
    const gd = this.gd(repository.name);
    const branchRef = branchRefOf(change.branch);
    const ours = await this.head(repository);
    const result = await mergeUpgrade({
      gitDir: this.gitDir(repository.name),
      ours,
      base: change.base,
      theirs: change.theirs,
      message: `${change.title}\n\n${change.body}\n`,
      author: change.author,
      git: this.run,
    });

    let headCommit = result.commit;
    const existing = await this.resolve(repository.name, branchRef);
    if (!existing) {
      // Create only: a branch someone made meanwhile is not overwritten.
      await this.updateRef(
        repository.name,
        branchRef,
        result.commit,
        ZERO_OID,
        change.branch,
      );
    } else if (
      await this.sameProposal(repository.name, existing, ours, result.tree)
    ) {
      // Proposed before on this head with the same result: keep that commit.
      headCommit = existing;
    } else {
      await this.assertOnlyPavedCommits(repository, existing, change);
      await this.updateRef(
        repository.name,
        branchRef,
        result.commit,
        existing,
        change.branch,
      );
    }
    await this.run([
      ...gd,
      'update-ref',
      templatesRefOf(change.branch),
      result.templateCommit,
    ]);
    return {
      baseCommit: ours,
      headCommit,
      files: result.files,
      conflicts: result.conflicts,
    };
  }

  async inspect(
    repository: ServiceRepository,
    branch: string,
  ): Promise<BranchState> {
    const head = await this.resolve(repository.name, branchRefOf(branch));
    if (!head) {
      return { known: true, exists: false, conflicted: [], merged: false };
    }
    const defaultHead = await this.head(repository);
    const merged = await this.isAncestor(repository.name, head, defaultHead);
    const conflicted = merged
      ? []
      : await this.conflictedFiles(repository, defaultHead, head);
    return { known: true, exists: true, head, conflicted, merged };
  }

  async merge(
    repository: ServiceRepository,
    branch: string,
    options: { message: string; author: { name: string; email: string } },
  ): Promise<{ commit: string }> {
    const name = repository.name;
    const head = await this.resolve(name, branchRefOf(branch));
    if (!head) {
      throw new NotFoundError(
        `The branch ${branch} of the repository '${name}' no longer exists`,
      );
    }
    const old = await this.head(repository);
    let next: string;
    if (await this.isAncestor(name, head, old)) {
      next = old; // Merged already (a retry, or the team merged it).
    } else {
      const conflicted = await this.conflictedFiles(repository, old, head);
      if (conflicted.length > 0) {
        throw new ConflictError(
          `${branch} still has conflict markers in ${conflicted.join(
            ', ',
          )}: resolve them on the branch, then merge`,
        );
      }
      next = (await this.isAncestor(name, old, head))
        ? head
        : await this.mergeCommit(repository, old, head, branch, options);
      await this.updateRef(
        name,
        `refs/heads/${repository.defaultBranch}`,
        next,
        old,
        repository.defaultBranch,
      );
    }
    await this.run([
      ...this.gd(name),
      'update-ref',
      '-d',
      templatesRefOf(branch),
    ]);
    // Only a checkout that exists follows: sample repositories have none on
    // purpose (their entities come from examples/), and making one here would put
    // a second copy of the entity in the catalog.
    if (await this.repositories.hasCheckout(name)) {
      await this.repositories.checkout(name);
    }
    await this.onMerged?.(repository);
    return { commit: next };
  }

  async close(repository: ServiceRepository, branch: string): Promise<void> {
    const gd = this.gd(repository.name);
    // update-ref -d of a missing ref succeeds: closing twice is harmless.
    await this.run([...gd, 'update-ref', '-d', branchRefOf(branch)]);
    await this.run([...gd, 'update-ref', '-d', templatesRefOf(branch)]);
  }

  /**
   * Patches against where the branch left the default branch (`default...branch`).
   * Conflicted files (markers still on the branch) get their sides: ours from that
   * merge base, base and theirs from the template renders kept by propose.
   */
  async diff(
    repository: ServiceRepository,
    branch: string,
  ): Promise<Omit<ChangeDiff, 'changeId'>> {
    const name = repository.name;
    const gd = this.gd(name);
    const head = await this.resolve(name, branchRefOf(branch));
    if (!head) {
      throw new NotFoundError(
        `The branch ${branch} of the repository '${name}' no longer exists`,
      );
    }
    const defaultHead = await this.head(repository);
    const range = `${defaultHead}...${head}`;
    const statuses = await this.changedFiles(name, range);
    const numstat = (
      await this.run([...gd, 'diff', '--no-renames', '--numstat', '-z', range])
    ).stdout
      .toString('utf8')
      .split('\0');
    const binaries = new Set(
      numstat
        .filter(entry => entry.startsWith('-\t-\t'))
        .map(entry => entry.slice(4)),
    );
    const conflicted = new Set(
      await this.conflictedFiles(repository, defaultHead, head),
    );
    const sides = await this.conflictSides(name, branch, defaultHead, head, [
      ...conflicted,
    ]);

    const files: FileDiff[] = [];
    for (const [file, status] of statuses) {
      const patch = await gitText(this.run, [
        ...gd,
        'diff',
        '--no-renames',
        '--no-color',
        range,
        '--',
        file,
      ]);
      files.push({
        path: file,
        status,
        conflicted: conflicted.has(file),
        patch: patch ? `${patch}\n` : '',
        binary: binaries.has(file),
        ...(sides.has(file) ? { conflict: sides.get(file) } : {}),
      });
    }
    return { files };
  }

  private async conflictSides(
    name: string,
    branch: string,
    defaultHead: string,
    head: string,
    paths: string[],
  ) {
    const sides = new Map<
      string,
      { base?: string; ours?: string; theirs?: string }
    >();
    if (paths.length === 0) {
      return sides;
    }
    const gd = this.gd(name);
    const mergeBase = await gitText(this.run, [
      ...gd,
      'merge-base',
      defaultHead,
      head,
    ]);
    // Absent when the renders are gone (e.g. a branch not proposed by Paved): no base/theirs.
    const templateCommit = await this.resolve(name, templatesRefOf(branch));
    const blobOf = async (rev: string | undefined, file: string) => {
      if (!rev) return undefined;
      const { stdout, code } = await this.run(
        [...gd, 'rev-parse', '--verify', '--quiet', `${rev}:${file}`],
        { okCodes: [1, 128] },
      );
      return code === 0 ? stdout.toString('utf8').trim() : undefined;
    };
    const oids = new Map<string, Array<string | undefined>>();
    for (const file of paths) {
      oids.set(file, [
        await blobOf(templateCommit && `${templateCommit}^`, file),
        await blobOf(mergeBase, file),
        await blobOf(templateCommit, file),
      ]);
    }
    const texts = await readBlobs(
      this.run,
      this.gitDir(name),
      [...oids.values()].flat(),
    );
    for (const [file, [base, ours, theirs]] of oids) {
      sides.set(file, {
        base: base ? texts.get(base) : undefined,
        ours: ours ? texts.get(ours) : undefined,
        theirs: theirs ? texts.get(theirs) : undefined,
      });
    }
    return sides;
  }

  // ---------------------------------------------------------------------------

  private gitDir(name: string): string {
    return fileURLToPath(this.repositories.remoteUrl(name));
  }

  private gd(name: string): string[] {
    return ['--git-dir', this.gitDir(name)];
  }

  private async describe(name: string): Promise<ServiceRepository> {
    const defaultBranch = await gitText(this.run, [
      ...this.gd(name),
      'symbolic-ref',
      '--short',
      'HEAD',
    ]);
    return {
      target: 'local',
      name,
      url: this.repositories.remoteUrl(name),
      defaultBranch,
    };
  }

  private async head(repository: ServiceRepository): Promise<string> {
    if (!(await this.repositories.exists(repository.name))) {
      throw new NotFoundError(
        `The local repository '${repository.name}' no longer exists (moved or deleted)`,
      );
    }
    const head = await this.resolve(
      repository.name,
      `refs/heads/${repository.defaultBranch}`,
    );
    if (!head) {
      throw new NotFoundError(
        `The repository '${repository.name}' has no branch ${repository.defaultBranch}`,
      );
    }
    return head;
  }

  private async resolve(
    name: string,
    ref: string,
  ): Promise<string | undefined> {
    const { stdout, code } = await this.run(
      [...this.gd(name), 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`],
      { okCodes: [1, 128] },
    );
    return code === 0 ? stdout.toString('utf8').trim() : undefined;
  }

  private async isAncestor(name: string, ancestor: string, of: string) {
    const { code } = await this.run(
      [...this.gd(name), 'merge-base', '--is-ancestor', ancestor, of],
      { okCodes: [1] },
    );
    return code === 0;
  }

  /** Compare-and-swap: git refuses unless the ref still is `old` (zeros: absent). */
  private async updateRef(
    name: string,
    ref: string,
    next: string,
    old: string,
    label: string,
  ): Promise<void> {
    const { code } = await this.run(
      [...this.gd(name), 'update-ref', '-m', 'paved upgrades', ref, next, old],
      { okCodes: [1, 128] },
    );
    if (code !== 0) {
      throw new ConflictError(
        `${label} of the repository '${name}' changed meanwhile: nothing was written; try again`,
      );
    }
  }

  private async sameProposal(
    name: string,
    existing: string,
    ours: string,
    tree: string,
  ): Promise<boolean> {
    const parents = await gitText(this.run, [
      ...this.gd(name),
      'show',
      '-s',
      '--format=%P %T',
      existing,
    ]);
    return parents === `${ours} ${tree}`;
  }

  /**
   * An older proposal's branch may be replaced only while it holds nothing but
   * Paved's own commit: anything the team pushed there stays theirs.
   */
  private async assertOnlyPavedCommits(
    repository: ServiceRepository,
    existing: string,
    change: ProposedChange,
  ): Promise<void> {
    const commits = (
      await gitText(this.run, [
        ...this.gd(repository.name),
        'log',
        '--format=%ae %ce',
        `refs/heads/${repository.defaultBranch}..${existing}`,
      ])
    )
      .split('\n')
      .filter(Boolean);
    const pavedOnly = `${change.author.email} ${change.author.email}`;
    if (commits.length > 1 || commits.some(c => c !== pavedOnly)) {
      throw new ConflictError(
        `the team pushed to ${change.branch}: close that change (or merge it) before proposing again`,
      );
    }
  }

  /** Files the change touches whose content on the branch still has conflict markers. */
  private async conflictedFiles(
    repository: ServiceRepository,
    defaultHead: string,
    head: string,
  ): Promise<string[]> {
    const touched = [
      ...(await this.changedFiles(repository.name, `${defaultHead}...${head}`)),
    ]
      .filter(([, status]) => status !== 'deleted')
      .map(([file]) => file);
    if (touched.length === 0) {
      return [];
    }
    const { stdout } = await this.run(
      [
        ...this.gd(repository.name),
        'grep',
        '-I',
        '-l',
        '-z',
        '-E',
        MARKER_PATTERN,
        head,
        '--',
        ...touched.map(file => `:(literal)${file}`),
      ],
      { okCodes: [1] },
    );
    const prefix = `${head}:`;
    return stdout
      .toString('utf8')
      .split('\0')
      .filter(Boolean)
      .map(entry =>
        entry.startsWith(prefix) ? entry.slice(prefix.length) : entry,
      )
      .sort();
  }

  private async changedFiles(
    name: string,
    range: string,
  ): Promise<Map<string, FileChangeStatus>> {
    const fields = (
      await this.run([
        ...this.gd(name),
        'diff',
        '--no-renames',
        '--name-status',
        '-z',
        range,
      ])
    ).stdout
      .toString('utf8')
      .split('\0');
    const changed = new Map<string, FileChangeStatus>();
    for (let i = 0; i + 1 < fields.length && fields[i]; i += 2) {
      const status = fields[i];
      changed.set(fields[i + 1], fileStatus(status));
    }
    return changed;
  }

  private async mergeCommit(
    repository: ServiceRepository,
    old: string,
    head: string,
    branch: string,
    options: { message: string; author: { name: string; email: string } },
  ): Promise<string> {
    const gd = this.gd(repository.name);
    const merged = await this.run(
      [...gd, 'merge-tree', '--write-tree', '-z', old, head],
      { okCodes: [1] },
    );
    if (merged.code === 1) {
      throw new ConflictError(
        `the default branch changed where the upgrade changes: close ${branch} and propose again`,
      );
    }
    const tree = merged.stdout.toString('utf8').split('\0')[0].trim();
    const when = `@${Math.floor(Date.now() / 1000)} +0000`;
    return gitText(
      this.run,
      [...gd, 'commit-tree', tree, '-p', old, '-p', head, '-F', '-'],
      { input: `${options.message}\n`, env: identityEnv(options.author, when) },
    );
  }
}

/** The branch's ref; branch names are Paved's own (paved/upgrade-<template>-<version>). */
function branchRefOf(branch: string): string {
  if (
    !/^[A-Za-z0-9._/-]+$/.test(branch) ||
    branch.includes('..') ||
    branch.startsWith('/')
  ) {
    throw new InputError(`branch '${branch}' is not a valid branch name`);
  }
  return `refs/heads/${branch}`;
}

function templatesRefOf(branch: string): string {
  return `refs/paved/templates/${branchRefOf(branch).slice(
    'refs/heads/'.length,
  )}`;
}

/** A location annotation's URL: `url:<url>` as is, `file:<path>` as a file URL. */
function locationUrl(annotation: string | undefined): string | undefined {
  if (!annotation) {
    return undefined;
  }
  const colon = annotation.indexOf(':');
  const type = annotation.slice(0, colon);
  const target = annotation.slice(colon + 1);
  if (type === 'url') {
    return target;
  }
  if (type === 'file' && path.isAbsolute(target)) {
    return pathToFileURL(target).href;
  }
  return undefined;
}

function isRepositoryName(repositories: LocalRepositories, name: string) {
  try {
    repositories.validateName(name);
    return true;
  } catch {
    return false;
  }
}

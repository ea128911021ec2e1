import {
  AuditorService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { actorOf, audited } from '@paved/backend-plugin-utils';
import {
  ChangeDiff,
  ChangelogEntry,
  ChangeRequest,
  ChangeState,
  GOLDEN_PATH_FILE,
  GoldenPathAnswers,
  normalizeTemplateRef,
  TEMPLATE_ANNOTATION,
  TEMPLATE_VERSION_ANNOTATION,
  TemplateVersionList,
  upgradesChangeMergePermission,
  upgradesChangeProposePermission,
  UpgradeStatus,
} from '@paved/plugin-upgrades-common';
import { JsonObject } from '@backstage/types';
import { randomUUID } from 'node:crypto';
import semver from 'semver';
import { ChangeStore } from '../database/ChangeStore';
import {
  ChangeProposer,
  ChangeTarget,
  ServiceRepository,
  TemplateRenderer,
  TemplateVersions,
} from '../ports';

/** A template ref as stored and compared: normalised, or as written when it is none. */
const canonicalTemplateRef = (ref: string) =>
  normalizeTemplateRef(ref) ?? ref.toLocaleLowerCase('en-US');

const DEFAULT_AUTHOR = { name: 'Paved', email: 'paved@paved.local' };

/** `component:default/Orders-API` and `orders-api` as `component:default/orders-api`. */
export function normalizeEntityRef(ref: string, field = 'entityRef'): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch (error) {
    throw new InputError(
      `Invalid request: ${field}: '${ref}' is not an entity ref (${
        (error as Error).message
      })`,
    );
  }
}

/** typescript-service of template:default/typescript-service */
const templateName = (templateRef: string) =>
  parseEntityRef(templateRef, { defaultKind: 'template' }).name;

/** The branch of an upgrade: the same for every proposal of it, so that it resumes. */
export const branchOf = (templateRef: string, version: string) =>
  `paved/upgrade-${templateName(templateRef)}-${version}`;

export const titleOf = (templateRef: string, from: string, to: string) =>
  `Upgrade ${templateName(templateRef)} ${from} → ${to}`;

const isNewer = (version: string, than: string) =>
  Boolean(
    semver.valid(version) && semver.valid(than) && semver.gt(version, than),
  );

const isActive = (state: ChangeState) =>
  state === 'proposing' || state === 'open' || state === 'conflicted';

/** What the repository or, failing it, the entity says of the golden path that made it. */
interface Lineage {
  entity: Entity;
  repository?: ServiceRepository;
  answers?: GoldenPathAnswers;
  lineage?: UpgradeStatus['lineage'];
  problem?: string;
}

/**
 * Proposing, merging, closing and following template upgrades of services: the
 * router's and the campaigns' logic. Every mutation is authorized against the
 * component (the policy's owner rule) and audited here, so that campaigns' proposals
 * are checked and recorded like the portal's.
 */
export class UpgradeService implements ChangeProposer {
  private readonly author: { name: string; email: string };

  constructor(
    private readonly deps: {
      store: ChangeStore;
      versions: TemplateVersions;
      renderer: TemplateRenderer;
      target: ChangeTarget;
      catalog: CatalogService;
      permissions: PermissionsService;
      auditor: AuditorService;
      logger: LoggerService;
      clock?: { now(): Date };
      /** The commits' author. */
      author?: { name: string; email: string };
      /**
       * The plugin's own credentials, for refreshing a merged component in the
       * catalog (a refresh is the system's doing, not the caller's); the caller's
       * when left out.
       */
      serviceCredentials?: () => Promise<BackstageCredentials>;
    },
  ) {
    this.author = deps.author ?? DEFAULT_AUTHOR;
  }

  private now(): string {
    return (this.deps.clock?.now() ?? new Date()).toISOString();
  }

  // ---------------------------------------------------------------- reading

  async status(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<UpgradeStatus> {
    const ref = normalizeEntityRef(entityRef);
    const entity = await this.entity(ref, credentials);
    const change =
      (await this.deps.store.getActiveByEntity(ref)) ??
      (await this.deps.store.latestByEntity(ref));
    const base = {
      entityRef: ref,
      changelog: [] as ChangelogEntry[],
      ...(change ? { change } : {}),
    };
    const found = await this.lineageOf(entity);
    if (!found.lineage) {
      return { ...base, available: false, problem: found.problem };
    }
    const { lineage } = found;
    let list: Awaited<ReturnType<TemplateVersions['list']>>;
    try {
      list = await this.deps.versions.list(lineage.templateRef);
    } catch (error) {
      if (!NotFoundError.is(error)) throw error;
      return {
        ...base,
        lineage,
        available: false,
        problem: `The template ${lineage.templateRef} that made ${ref} is no longer in the catalog: ${error.message}`,
      };
    }
    const changelog = list.versions.filter(v =>
      isNewer(v.version, lineage.version),
    );
    // An unreleased recorded version comes first: it is the cause even where the
    // repository is missing too (the sample seeder makes none for such a version),
    // and no repository could fix it.
    const unreleased = !list.versions.some(v => v.version === lineage.version)
      ? `${ref} records ${lineage.templateRef} ${
          lineage.version
        }, which is not a released version of the template (released: ${list.versions
          .map(v => v.version)
          .join(', ')}): it cannot be rendered again to compute the upgrade.`
      : undefined;
    const problem =
      [unreleased, found.problem].filter(Boolean).join(' ') || undefined;
    return {
      ...base,
      lineage,
      latestVersion: list.latest,
      changelog,
      available: !problem && isNewer(list.latest, lineage.version),
      ...(problem ? { problem } : {}),
    };
  }

  async templateVersions(templateRef: string): Promise<TemplateVersionList> {
    const ref = normalizeTemplateRef(templateRef);
    if (!ref) {
      throw new InputError(`'${templateRef}' is not a template ref`);
    }
    const list = await this.deps.versions.list(ref);
    return { templateRef: ref, latest: list.latest, versions: list.versions };
  }

  async get(id: string): Promise<ChangeRequest> {
    const change = await this.deps.store.get(id);
    if (!change) {
      throw new NotFoundError(`There is no change request '${id}'`);
    }
    return change;
  }

  async listChanges(filter: {
    entityRef?: string;
    campaignId?: string;
    states?: ChangeState[];
  }): Promise<ChangeRequest[]> {
    return this.deps.store.list({
      ...filter,
      entityRef: filter.entityRef
        ? normalizeEntityRef(filter.entityRef)
        : undefined,
    });
  }

  /** The branch's diff, with both sides of each conflicted file. */
  async diff(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<ChangeDiff> {
    const change = await this.get(id);
    const sides = await this.deps.store.conflictSides(id);
    const repository = await this.repositoryOf(change, credentials);
    let files: ChangeDiff['files'];
    try {
      ({ files } = await this.deps.target.diff(repository, change.branch));
    } catch (error) {
      // A merged or closed change's branch may be gone; its record still says what
      // it touched.
      if (!NotFoundError.is(error) || isActive(change.state)) throw error;
      files = change.files.map(f => ({ ...f, patch: '', binary: false }));
    }
    return {
      changeId: id,
      files: files.map(file => {
        const conflict = sides.get(file.path);
        return conflict &&
          (file.conflicted || change.conflicts.includes(file.path))
          ? { ...file, conflict }
          : file;
      }),
    };
  }

  // -------------------------------------------------------------- mutations

  async propose(request: {
    entityRef: string;
    toVersion?: string;
    campaignId?: string;
    credentials: BackstageCredentials;
  }): Promise<{ change: ChangeRequest; created: boolean }> {
    const ref = normalizeEntityRef(request.entityRef);
    return audited(
      this.deps.auditor,
      {
        eventId: 'change-propose',
        request: undefined,
        meta: {
          entityRef: ref,
          toVersion: request.toVersion ?? null,
          campaignId: request.campaignId ?? null,
          actor: actorOf(request.credentials),
        },
      },
      () => this.doPropose(ref, request),
      result => ({
        changeId: result.change.id,
        created: result.created,
        state: result.change.state,
      }),
    );
  }

  private async doPropose(
    ref: string,
    request: {
      toVersion?: string;
      campaignId?: string;
      credentials: BackstageCredentials;
    },
  ): Promise<{ change: ChangeRequest; created: boolean }> {
    const { store, versions, target } = this.deps;
    const entity = await this.entity(ref, request.credentials);
    await this.authorize(
      upgradesChangeProposePermission,
      ref,
      request.credentials,
      'propose an upgrade of',
    );
    if (entity.kind.toLocaleLowerCase('en-US') !== 'component') {
      throw new InputError(
        `Invalid request: entityRef: ${ref} is a ${entity.kind}; only components made from a golden path are upgraded`,
      );
    }
    const repository = await this.locate(entity, ref);
    const { answers } = await target.readAnswers(repository);
    if (!answers) {
      throw new ConflictError(
        `${ref} has no ${GOLDEN_PATH_FILE} in its repository ${repository.name}: it was made before Paved recorded template answers, so it cannot be rendered again. Add the file (template, version and the form's values) to its default branch to upgrade it.`,
      );
    }
    const annotated = entity.metadata.annotations?.[TEMPLATE_ANNOTATION];
    if (
      annotated &&
      canonicalTemplateRef(annotated) !== canonicalTemplateRef(answers.template)
    ) {
      throw new ConflictError(
        `${ref} says it was made from ${annotated} (${TEMPLATE_ANNOTATION}) but its ${GOLDEN_PATH_FILE} names ${answers.template}; make them agree before upgrading`,
      );
    }
    const templateRef = canonicalTemplateRef(answers.template);
    const list = await versions.list(templateRef);
    const toVersion = request.toVersion ?? list.latest;
    if (!list.versions.some(v => v.version === toVersion)) {
      throw new InputError(
        `Invalid request: toVersion: ${toVersion} is not a released version of ${templateRef} (released: ${list.versions
          .map(v => v.version)
          .join(', ')})`,
      );
    }
    if (!isNewer(toVersion, answers.version)) {
      throw new ConflictError(
        `${ref} is on ${templateRef} ${answers.version}; ${toVersion} is not newer`,
      );
    }
    if (!list.versions.some(v => v.version === answers.version)) {
      throw new NotFoundError(
        `${ref} records ${templateRef} ${answers.version} in its ${GOLDEN_PATH_FILE}, which is not a released version of the template: it cannot be rendered again to compute the upgrade`,
      );
    }

    // An active change for this service and version is the answer, unless it was
    // left `proposing` (a crash or a failure between the record and the branch):
    // that one is finished now.
    const existing = await store.getActiveByEntity(ref, toVersion);
    if (existing && existing.state !== 'proposing') {
      return { change: existing, created: false };
    }
    const recorded = existing
      ? { change: existing, created: false }
      : await store.insertProposing({
          id: randomUUID(),
          entityRef: ref,
          target: target.kind,
          repository: repository.name,
          templateRef,
          fromVersion: answers.version,
          toVersion,
          branch: branchOf(templateRef, toVersion),
          title: titleOf(templateRef, answers.version, toVersion),
          campaignId: request.campaignId,
          createdBy: actorOf(request.credentials),
          createdAt: this.now(),
        });
    if (recorded.change.state !== 'proposing') {
      return recorded;
    }
    const change = await this.complete(
      recorded.change,
      repository,
      answers.values,
      list.versions,
      recorded.created,
    );
    return { change, created: recorded.created };
  }

  /** Renders both versions, writes the branch and records what it holds. */
  private async complete(
    change: ChangeRequest,
    repository: ServiceRepository,
    values: JsonObject,
    released: ChangelogEntry[],
    created: boolean,
  ): Promise<ChangeRequest> {
    const { versions, renderer, target, store } = this.deps;
    let base;
    let theirs;
    try {
      const [from, to] = await Promise.all([
        versions.read(change.templateRef, change.fromVersion),
        versions.read(change.templateRef, change.toVersion),
      ]);
      [base, theirs] = await Promise.all([
        renderer.render(from, values),
        renderer.render(to, values),
      ]);
    } catch (error) {
      // Nothing was written for a record made just now: drop it rather than leave a
      // change that can never be finished. (A resumed one may have a branch from
      // before the crash; it stays, and the next proposal retries.)
      if (created) await store.removeProposing(change.id);
      throw error;
    }
    const result = await target.propose(repository, {
      branch: change.branch,
      base,
      theirs,
      title: change.title,
      body: bodyOf(change, released),
      author: this.author,
    });
    const conflicted = new Set(result.conflicts.map(c => c.path));
    return store.update(change.id, {
      state: conflicted.size > 0 ? 'conflicted' : 'open',
      files: result.files.map(f => ({
        ...f,
        conflicted: f.conflicted || conflicted.has(f.path),
      })),
      conflicts: [...conflicted].sort(),
      baseCommit: result.baseCommit,
      headCommit: result.headCommit,
      ...(result.url ? { url: result.url } : {}),
      conflictSides: result.conflicts,
      updatedAt: this.now(),
    });
  }

  async merge(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<ChangeRequest> {
    return this.mutation('change-merge', id, credentials, async () => {
      const change = await this.get(id);
      await this.authorize(
        upgradesChangeMergePermission,
        change.entityRef,
        credentials,
        'merge upgrades of',
      );
      if (change.state === 'conflicted') {
        throw new ConflictError(
          `Change ${id} still has conflicts in ${change.conflicts.join(
            ', ',
          )}: resolve them on branch ${change.branch}, push, then Refresh`,
        );
      }
      if (change.state !== 'open') {
        throw new ConflictError(
          `Change ${id} is ${change.state}; only an open change can be merged`,
        );
      }
      const repository = await this.repositoryOf(change, credentials);
      const { commit } = await this.deps.target.merge(
        repository,
        change.branch,
        {
          message: `${change.title}\n\nMerged in Paved by ${actorOf(
            credentials,
          )} (change ${id}).`,
          author: this.author,
        },
      );
      const now = this.now();
      const merged = await this.deps.store.update(id, {
        state: 'merged',
        mergeCommit: commit,
        mergedAt: now,
        updatedAt: now,
      });
      await this.refreshEntity(change.entityRef, credentials);
      return merged;
    });
  }

  async close(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<ChangeRequest> {
    return this.mutation('change-close', id, credentials, async () => {
      const change = await this.get(id);
      await this.authorize(
        upgradesChangeMergePermission,
        change.entityRef,
        credentials,
        'close upgrades of',
      );
      if (change.state === 'closed') return change;
      if (change.state === 'merged') {
        throw new ConflictError(`Change ${id} is merged; it cannot be closed`);
      }
      const repository = await this.repositoryOf(change, credentials);
      await this.deps.target.close(repository, change.branch);
      const now = this.now();
      return this.deps.store.update(id, {
        state: 'closed',
        closedAt: now,
        updatedAt: now,
      });
    });
  }

  /**
   * Follows the branch after the team pushed conflict resolutions, or merged or
   * deleted it elsewhere.
   */
  async refresh(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<ChangeRequest> {
    return this.mutation('change-refresh', id, credentials, async () => {
      const change = await this.get(id);
      await this.authorize(
        upgradesChangeProposePermission,
        change.entityRef,
        credentials,
        'refresh upgrades of',
      );
      // proposing: the next proposal finishes it; merged, closed: final
      if (change.state !== 'open' && change.state !== 'conflicted') {
        return change;
      }
      const repository = await this.repositoryOf(change, credentials);
      const branch = await this.deps.target.inspect(repository, change.branch);
      if (!branch.known) {
        // The target cannot read the host's state: what was recorded stands (a
        // conflicted request must not become open by guessing).
        return change;
      }
      const now = this.now();
      if (branch.merged) {
        const merged = await this.deps.store.update(id, {
          state: 'merged',
          mergedAt: now,
          updatedAt: now,
          ...(branch.head ? { headCommit: branch.head } : {}),
        });
        await this.refreshEntity(change.entityRef, credentials);
        return merged;
      }
      if (!branch.exists) {
        return this.deps.store.update(id, {
          state: 'closed',
          closedAt: now,
          updatedAt: now,
        });
      }
      const conflicted = new Set(branch.conflicted);
      return this.deps.store.update(id, {
        state: conflicted.size > 0 ? 'conflicted' : 'open',
        conflicts: [...conflicted].sort(),
        files: change.files.map(f => ({
          ...f,
          conflicted: conflicted.has(f.path),
        })),
        ...(branch.head ? { headCommit: branch.head } : {}),
        updatedAt: now,
      });
    });
  }

  // ---------------------------------------------------------------- helpers

  private mutation(
    eventId: string,
    id: string,
    credentials: BackstageCredentials,
    fn: () => Promise<ChangeRequest>,
  ) {
    return audited(
      this.deps.auditor,
      {
        eventId,
        request: undefined,
        meta: { changeId: id, actor: actorOf(credentials) },
      },
      fn,
      result => ({ entityRef: result.entityRef, state: result.state }),
    );
  }

  private async entity(
    ref: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    const entity = await this.deps.catalog.getEntityByRef(ref, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`There is no entity '${ref}' in the catalog`);
    }
    return entity;
  }

  private async authorize(
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
    credentials: BackstageCredentials,
    what: string,
  ) {
    const [decision] = await this.deps.permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to ${what} ${entityRef}: only its owners and the platform team can`,
      );
    }
  }

  private async locate(
    entity: Entity,
    ref: string,
  ): Promise<ServiceRepository> {
    try {
      return await this.deps.target.locate(entity);
    } catch (error) {
      if (NotFoundError.is(error)) {
        throw new NotFoundError(
          `The repository of ${ref} was not found (moved or deleted?): ${error.message}`,
        );
      }
      throw error;
    }
  }

  private async repositoryOf(
    change: ChangeRequest,
    credentials: BackstageCredentials,
  ): Promise<ServiceRepository> {
    const entity = await this.deps.catalog.getEntityByRef(change.entityRef, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(
        `${change.entityRef}, the component of change ${change.id}, is no longer in the catalog`,
      );
    }
    return this.locate(entity, change.entityRef);
  }

  /** The catalog re-reads the component (its annotations follow the merge). */
  private async refreshEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ) {
    try {
      await this.deps.catalog.refreshEntity(entityRef, {
        credentials: (await this.deps.serviceCredentials?.()) ?? credentials,
      });
    } catch (error) {
      // The merge stands; the catalog catches up on its next processing loop.
      this.deps.logger.warn(
        `Could not refresh ${entityRef} in the catalog after merging its upgrade: ${error}`,
      );
    }
  }

  /** Where the golden path that made the entity is recorded, or why it is not. */
  private async lineageOf(entity: Entity): Promise<Lineage> {
    const ref = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
    if (entity.kind.toLocaleLowerCase('en-US') !== 'component') {
      return {
        entity,
        problem: `${ref} is a ${entity.kind}; only components made from a golden path are upgraded`,
      };
    }
    let repository: ServiceRepository | undefined;
    let answers: GoldenPathAnswers | undefined;
    let repositoryProblem: string | undefined;
    try {
      repository = await this.deps.target.locate(entity);
      ({ answers } = await this.deps.target.readAnswers(repository));
    } catch (error) {
      if (!InputError.is(error) && !NotFoundError.is(error)) throw error;
      repositoryProblem = repository
        ? `The ${GOLDEN_PATH_FILE} of ${ref} cannot be read: ${error.message}`
        : `No repository found for ${ref}: ${error.message}`;
    }
    if (answers) {
      return {
        entity,
        repository,
        answers,
        lineage: {
          templateRef: canonicalTemplateRef(answers.template),
          version: answers.version,
          source: 'repository',
        },
      };
    }
    const annotations = entity.metadata.annotations ?? {};
    const templateRef = annotations[TEMPLATE_ANNOTATION];
    const version = annotations[TEMPLATE_VERSION_ANNOTATION];
    const noFile =
      repositoryProblem ??
      `${ref} has no ${GOLDEN_PATH_FILE} in its repository: it was made before Paved recorded template answers, so it cannot be rendered again. Add the file (template, version and the form's values) to upgrade it.`;
    if (!templateRef || !version) {
      return {
        entity,
        repository,
        problem: repositoryProblem
          ? repositoryProblem
          : `${ref} was not made from a golden path: it has no ${GOLDEN_PATH_FILE} and no ${TEMPLATE_ANNOTATION} annotations`,
      };
    }
    return {
      entity,
      repository,
      lineage: {
        templateRef: canonicalTemplateRef(templateRef),
        version,
        source: 'annotation',
      },
      problem: noFile,
    };
  }
}

/** The change request's description: what changed, and how to resolve conflicts. */
export function bodyOf(
  change: ChangeRequest,
  released: ChangelogEntry[],
): string {
  const entries = released.filter(
    v =>
      isNewer(v.version, change.fromVersion) &&
      !isNewer(v.version, change.toVersion),
  );
  const changelog = entries.length
    ? entries
        .map(
          e =>
            `### ${e.version}${
              e.date ? ` (${e.date})` : ''
            }\n\n${e.text.trim()}`,
        )
        .join('\n\n')
    : '_The changelog has no entries for these versions._';
  return [
    `This change moves the service from the golden path ${change.templateRef} ${change.fromVersion} to ${change.toVersion}. Paved rendered both versions with the answers in \`${GOLDEN_PATH_FILE}\` and merged the difference into the default branch with git's three-way merge: your own edits are kept.`,
    `## What changed\n\n${changelog}`,
    [
      '## Conflicts',
      '',
      "Where your edits and the template's overlap, the file holds git conflict markers (`<<<<<<<`, `=======`, `>>>>>>>`) and the change cannot be merged until they are resolved:",
      '',
      '```sh',
      'git clone <this repository> && cd <it>',
      `git fetch origin && git checkout ${change.branch}`,
      '# edit each conflicted file: keep what you need, remove the markers',
      'git commit -am "Resolve upgrade conflicts"',
      `git push origin ${change.branch}`,
      '```',
      '',
      'Then press **Refresh** on the change in the portal: it checks the branch again and, once no markers remain, the change can be merged.',
    ].join('\n'),
  ].join('\n\n');
}

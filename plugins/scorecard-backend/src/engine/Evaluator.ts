import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, RELATION_OWNED_BY } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { FactValue } from '@paved/plugin-scorecard-common';
import { FactProvider } from '@paved/plugin-scorecard-node';
import { createHash } from 'node:crypto';
import { ScorecardStore, StoredEntity } from '../database/ScorecardStore';
import { refOf, relationTargets } from '../providers/refs';
import { CatalogLookup, readAllEntities } from './CatalogLookup';
import { CompiledTrack, Facts, scoreEntity } from './compileTrack';

export interface EvaluationSummary {
  evaluated: number;
  /** Entities whose level or any check changed. */
  changed: number;
  removed: number;
  durationMs: number;
}

/**
 * How many changed entities the poll scores in one pass: the first poll after a bulk
 * import finds thousands, and one pass each keeps memory and each write bounded.
 */
export const CHANGED_BATCH_SIZE = 500;

const hash = (text: string) => createHash('sha1').update(text).digest('hex');

/** A stable JSON text: keys sorted, so equal facts hash alike. */
const stable = (facts: Facts) =>
  JSON.stringify(
    Object.keys(facts)
      .sort()
      .map(k => [k, facts[k]]),
  );

export function ownerOf(entity: Entity): string | null {
  return relationTargets(entity, RELATION_OWNED_BY)[0] ?? null;
}

/**
 * Evaluates entities: facts in bulk from each provider (one call per provider per
 * evaluation), compiled checks run per entity, and only changed facts and scores
 * written, in batches.
 */
export class Evaluator {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      discovery: DiscoveryService;
      logger: LoggerService;
      store: ScorecardStore;
      providers: FactProvider[];
      tracks: CompiledTrack[];
      kinds: string[];
      now?: () => Date;
      /** Default CHANGED_BATCH_SIZE. */
      changedBatchSize?: number;
    },
  ) {}

  get tracks() {
    return this.deps.tracks;
  }

  /** Every entity of the scored kinds; removes those gone from the catalog. */
  async evaluateAll(): Promise<EvaluationSummary> {
    const start = Date.now();
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const entities = await readAllEntities(
      this.deps.catalog,
      credentials,
      this.deps.kinds,
    );
    const lookup = new CatalogLookup(this.deps.catalog, credentials);
    lookup.add(entities);
    const { changed, storedRefs } = await this.evaluate(
      entities,
      lookup,
      undefined,
    );
    const present = new Set(entities.map(refOf));
    const gone = storedRefs.filter(r => !present.has(r));
    await this.deps.store.deleteEntities(gone);
    const day = this.now().toISOString().slice(0, 10);
    for (const track of this.deps.tracks) {
      await this.deps.store.recordDailySnapshot(day, track.definition.id);
    }
    return {
      evaluated: entities.length,
      changed,
      removed: gone.length,
      durationMs: Date.now() - start,
    };
  }

  /**
   * The entities whose catalog etag changed since they were last evaluated (and new
   * ones): the catalog has no change events for entities, so this polls their etags.
   * The poll reads four fields of each entity (no facts, no providers); the scoring,
   * in passes of `changedBatchSize`, is only of what changed.
   */
  async evaluateChanged(): Promise<EvaluationSummary> {
    const start = Date.now();
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const [heads, states] = await Promise.all([
      readAllEntities(this.deps.catalog, credentials, this.deps.kinds, [
        'kind',
        'metadata.namespace',
        'metadata.name',
        'metadata.etag',
      ]),
      this.deps.store.getEntityStates(),
    ]);
    const changed = heads
      .filter(h => states.get(refOf(h))?.etag !== h.metadata.etag)
      .map(refOf);
    const present = new Set(heads.map(refOf));
    const gone = [...states.keys()].filter(r => !present.has(r));
    await this.deps.store.deleteEntities(gone);
    const batch = this.deps.changedBatchSize ?? CHANGED_BATCH_SIZE;
    const summary = { evaluated: 0, changed: 0 };
    for (let i = 0; i < changed.length; i += batch) {
      const pass = await this.evaluateRefs(changed.slice(i, i + batch));
      summary.evaluated += pass.evaluated;
      summary.changed += pass.changed;
    }
    return { ...summary, removed: gone.length, durationMs: Date.now() - start };
  }

  /** The given entities, e.g. one on demand or those that changed. */
  async evaluateRefs(refs: string[]): Promise<EvaluationSummary> {
    const start = Date.now();
    const credentials = await this.deps.auth.getOwnServiceCredentials();
    const lookup = new CatalogLookup(this.deps.catalog, credentials);
    const found = await lookup.getByRefs(
      refs.map(r => r.toLocaleLowerCase('en-US')),
    );
    const kinds = new Set(
      this.deps.kinds.map(k => k.toLocaleLowerCase('en-US')),
    );
    const entities = [...found.values()].filter(e =>
      kinds.has(e.kind.toLocaleLowerCase('en-US')),
    );
    const { changed } = await this.evaluate(
      entities,
      lookup,
      entities.map(refOf),
    );
    return {
      evaluated: entities.length,
      changed,
      removed: 0,
      durationMs: Date.now() - start,
    };
  }

  /** Facts of `entities` from every provider, merged per entity. */
  async collectFacts(entities: Entity[], lookup: CatalogLookup) {
    const facts = new Map<string, Facts>(entities.map(e => [refOf(e), {}]));
    const ctx = {
      logger: this.deps.logger,
      lookup,
      getBaseUrl: (pluginId: string) =>
        this.deps.discovery.getBaseUrl(pluginId),
      getPluginToken: async (targetPluginId: string) =>
        (
          await this.deps.auth.getPluginRequestToken({
            onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
            targetPluginId,
          })
        ).token,
    };
    await Promise.all(
      this.deps.providers.map(async provider => {
        const subset = provider.entityFilter
          ? entities.filter(provider.entityFilter)
          : entities;
        if (subset.length === 0) return;
        try {
          const batch = await provider.retrieve(subset, ctx);
          for (const [ref, values] of batch) {
            const target = facts.get(ref);
            if (target) Object.assign(target, values);
          }
        } catch (error) {
          // Its facts stay missing, so the checks on them fail with "missing".
          this.deps.logger.warn(
            `Scorecard fact provider '${provider.id}' failed: ${error}`,
          );
        }
      }),
    );
    return facts;
  }

  private async evaluate(
    entities: Entity[],
    lookup: CatalogLookup,
    refs: string[] | undefined,
  ): Promise<{ changed: number; storedRefs: string[] }> {
    const t0 = Date.now();
    const [facts, entityStates, scoreStates] = await Promise.all([
      this.collectFacts(entities, lookup),
      this.deps.store.getEntityStates(refs),
      this.deps.store.getScoreStates(refs),
    ]);
    const changedEntities: StoredEntity[] = [];
    const scores: Parameters<ScorecardStore['write']>[0]['scores'] = [];
    const changedRefs = new Set<string>();
    for (const entity of entities) {
      const ref = refOf(entity);
      const entityFacts = facts.get(ref)!;
      const factsHash = hash(stable(entityFacts));
      const before = entityStates.get(ref);
      const owner = ownerOf(entity);
      const type =
        typeof entity.spec?.type === 'string' ? entity.spec.type : undefined;
      const factsChanged = before?.factsHash !== factsHash;
      // A new etag may mean a new owner, which the score rows carry for rollups.
      const etagChanged = before?.etag !== (entity.metadata.etag ?? null);
      if (factsChanged || etagChanged) {
        changedEntities.push({
          entityRef: ref,
          kind: entity.kind,
          type,
          owner,
          etag: entity.metadata.etag ?? null,
          facts: entityFacts,
          factsHash,
        });
      }
      for (const track of this.deps.tracks) {
        const shape = { kind: entity.kind, type };
        const { level, passed } = scoreEntity(track, shape, entityFacts);
        const checksHash = `${level}:${passed.map(p => (p ? 1 : 0)).join('')}`;
        const previous = scoreStates.get(`${ref} ${track.definition.id}`);
        if (previous === checksHash && !factsChanged && !etagChanged) continue;
        if (previous !== checksHash) changedRefs.add(ref);
        scores.push({
          entityRef: ref,
          trackId: track.definition.id,
          level,
          owner,
          checksHash,
          historic: previous !== checksHash,
          results: track.checks.map((check, i) => ({
            checkId: check.definition.id,
            passed: passed[i],
          })),
        });
      }
    }
    const t1 = Date.now();
    await this.deps.store.write({
      at: this.now(),
      entities: changedEntities,
      scores,
    });
    this.deps.logger.debug(
      `Scorecard: ${entities.length} entities: facts and states ${
        t1 - t0
      } ms (scoring included), wrote ${changedEntities.length} facts and ${
        scores.length
      } scores in ${Date.now() - t1} ms`,
    );
    return { changed: changedRefs.size, storedRefs: [...entityStates.keys()] };
  }

  private now() {
    return this.deps.now?.() ?? new Date();
  }
}

export type { FactValue };

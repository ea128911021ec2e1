import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CheckDefinition,
  EntityScorecard,
  TrackDefinition,
} from '@paved/plugin-scorecard-common';
import { normalizeTrack } from '../tracks/readTracks';
import { ScorecardStore, StoredEntity } from '../database/ScorecardStore';
import { CompiledCheck, CompiledTrack } from '../engine/compileTrack';
import { Evaluator } from '../engine/Evaluator';
import { fixUrlOf } from '../engine/fixUrl';
import {
  countMaturity,
  MaturityCounts,
  maturityFromCounts,
} from '../org/organizationMaturity';
import { previewImpact } from './previewImpact';
import { PreviewRequest } from './previewRequest';
import { Operators } from '../engine/operators';

const DAY = 24 * 3600 * 1000;

/**
 * How long the adoption dashboard's figures (monthly active users, NPS responses over
 * 90 days) are reused. They are rolled up over weeks, so a minute changes nothing
 * that matters, while asking on every request made each one three HTTP calls (and
 * under load, timeouts that silently turned them into "no data").
 */
export const SIGNAL_TTL_MS = 60_000;

/** What the router serves: reads of stored scores and the evaluator's entry points. */
export class ScorecardService {
  constructor(
    private readonly deps: {
      store: ScorecardStore;
      evaluator: Evaluator;
      tracks: CompiledTrack[];
      knownFacts: ReadonlySet<string>;
      /** The operators the tracks were validated against, check types included. */
      operators?: Operators;
      auth: AuthService;
      discovery: DiscoveryService;
      logger: LoggerService;
      catalog: CatalogService;
      /** The clock of the signals' cache; Date.now by default. */
      now?: () => number;
    },
  ) {}

  /** The maturity counts of one store revision (see ScorecardStore.getRevision). */
  private counts?: { revision: number; counts: Promise<MaturityCounts> };
  private readonly signals = new Map<
    string,
    { until: number; value: Promise<number | undefined> }
  >();

  get evaluator() {
    return this.deps.evaluator;
  }

  listTracks(): TrackDefinition[] {
    return this.deps.tracks.map(t => t.definition);
  }

  track(trackId?: string): CompiledTrack {
    const track = trackId
      ? this.deps.tracks.find(t => t.definition.id === trackId)
      : this.deps.tracks[0];
    if (!track) throw new NotFoundError(`No scorecard track '${trackId}'`);
    return track;
  }

  /** Derived from the stored facts the result was computed from. */
  private reason(check: CompiledCheck, stored: StoredEntity) {
    if (!check.applies({ kind: stored.kind, type: stored.type })) {
      const type = stored.type ? ` of type ${stored.type}` : '';
      return `does not apply to ${stored.kind}${type}`;
    }
    return check.explain(stored.facts);
  }

  private levelName(track: CompiledTrack, level: number) {
    return track.levels.find(l => l.level === level)?.name ?? 'None';
  }

  async entityScorecard(entityRef: string): Promise<EntityScorecard> {
    const ref = entityRef.toLocaleLowerCase('en-US');
    const [scores, evaluatedAt, stored] = await Promise.all([
      this.deps.store.getScores(ref),
      this.deps.store.getEvaluatedAt(ref),
      this.deps.store.getEntity(ref),
    ]);
    if (!scores.length || !evaluatedAt || !stored) {
      throw new NotFoundError(`The entity '${entityRef}' has not been scored`);
    }
    return {
      entityRef: ref,
      tracks: this.deps.tracks
        .map(track => {
          const score = scores.find(s => s.trackId === track.definition.id);
          if (!score) return undefined;
          const results = new Map(score.results.map(r => [r.checkId, r]));
          return {
            trackId: track.definition.id,
            title: track.definition.title,
            level: score.level,
            levelName: this.levelName(track, score.level),
            evaluatedAt,
            checks: track.checks.map(check => {
              const r = results.get(check.definition.id);
              return {
                checkId: check.definition.id,
                title: check.definition.title,
                description: check.definition.description,
                level: check.level,
                passed: r?.passed ?? false,
                reason: r ? this.reason(check, stored) : 'not evaluated yet',
                howToFix: check.definition.howToFix,
                fixUrl: fixUrlOf(check.definition, stored.facts),
              };
            }),
          };
        })
        .filter(<T>(t: T | undefined): t is T => t !== undefined),
    };
  }

  async entityHistory(entityRef: string, limit = 100) {
    const ref = entityRef.toLocaleLowerCase('en-US');
    const rows = await this.deps.store.getHistory(ref, limit);
    return {
      entityRef: ref,
      items: rows.map(r => {
        const track = this.deps.tracks.find(t => t.definition.id === r.trackId);
        return {
          ...r,
          levelName: track ? this.levelName(track, r.level) : String(r.level),
        };
      }),
    };
  }

  private distribution(track: CompiledTrack, levels: { level: number }[]) {
    const counts = new Map<number, number>();
    for (const l of levels) counts.set(l.level, (counts.get(l.level) ?? 0) + 1);
    return [0, ...track.levels.map(l => l.level)].map(level => ({
      level,
      name: this.levelName(track, level),
      count: counts.get(level) ?? 0,
    }));
  }

  async teamScorecard(groupRef: string, trackId?: string) {
    const track = this.track(trackId);
    const owner = groupRef.toLocaleLowerCase('en-US');
    const [levels, failing] = await Promise.all([
      this.deps.store.listLevels({
        trackId: track.definition.id,
        owners: [owner],
      }),
      this.deps.store.countFailing({
        trackId: track.definition.id,
        owners: [owner],
      }),
    ]);
    const checks = new Map(track.checks.map(c => [c.definition.id, c]));
    return {
      groupRef: owner,
      trackId: track.definition.id,
      total: levels.length,
      levels: this.distribution(track, levels),
      failingChecks: failing
        .filter(f => checks.has(f.checkId))
        .map(f => {
          const c = checks.get(f.checkId)!;
          return {
            checkId: f.checkId,
            title: c.definition.title,
            level: c.level,
            failing: f.failing,
            share: levels.length ? f.failing / levels.length : 0,
            howToFix: c.definition.howToFix,
            fixUrl: c.definition.fixUrl,
          };
        })
        // Lower levels first: they cap everything above them.
        .sort((a, b) => b.failing - a.failing || a.level - b.level),
      entities: levels.sort(
        (a, b) => a.level - b.level || a.entityRef.localeCompare(b.entityRef),
      ),
    };
  }

  async organizationLevels(trackId?: string) {
    const track = this.track(trackId);
    const levels = await this.deps.store.listLevels({
      trackId: track.definition.id,
    });
    return {
      trackId: track.definition.id,
      total: levels.length,
      levels: this.distribution(track, levels),
    };
  }

  async organizationTrend(trackId?: string, days = 90) {
    const track = this.track(trackId);
    const since = new Date(Date.now() - days * DAY).toISOString().slice(0, 10);
    const rows = await this.deps.store.getTrend(track.definition.id, since);
    const byDay = new Map<string, { level: number; count: number }[]>();
    for (const r of rows) {
      byDay.set(r.day, [
        ...(byDay.get(r.day) ?? []),
        { level: r.level, count: r.count },
      ]);
    }
    return {
      trackId: track.definition.id,
      days: [...byDay].map(([day, levels]) => ({ day, levels })),
    };
  }

  async organizationMaturity() {
    return maturityFromCounts({
      counts: await this.maturityCounts(),
      logger: this.deps.logger,
      adoptionShare: () => this.signal('adoption', () => this.adoptionShare()),
      feedbackResponses: () =>
        this.signal('feedback', async () => {
          const since = new Date(this.now() - 90 * DAY)
            .toISOString()
            .slice(0, 10);
          const nps = await this.readAdoption(`/dashboard/nps?from=${since}`);
          return typeof nps?.responses === 'number' ? nps.responses : undefined;
        }),
    });
  }

  private now() {
    return (this.deps.now ?? Date.now)();
  }

  /**
   * Counting reads and parses the facts of every stored entity: done once per store
   * revision (one small query per request tells whether it moved), shared by the
   * requests that arrive while it runs.
   */
  private async maturityCounts(): Promise<MaturityCounts> {
    // Read before the data: counts made from newer data than their revision are
    // only recounted once more, never kept past a change.
    const revision = await this.deps.store.getRevision();
    if (this.counts?.revision !== revision) {
      const track = this.deps.tracks[0];
      const counts = Promise.all([
        this.deps.store.listEntities(),
        track
          ? this.deps.store.listLevels({ trackId: track.definition.id })
          : Promise.resolve([]),
      ]).then(([entities, levels]) => countMaturity(entities, levels));
      const entry = { revision, counts };
      this.counts = entry;
      // A failed read is not kept: the next request tries again.
      counts.catch(() => {
        if (this.counts === entry) this.counts = undefined;
      });
    }
    return this.counts!.counts;
  }

  /**
   * An optional signal from another plugin, reused for {@link SIGNAL_TTL_MS}; one call
   * at a time however many requests want it. An answer of "no data" (the plugin is
   * missing or failed) is kept as long, so that a failing plugin is not asked by
   * every request either.
   */
  private signal(
    key: string,
    read: () => Promise<number | undefined>,
  ): Promise<number | undefined> {
    const cached = this.signals.get(key);
    if (cached && cached.until > this.now()) return cached.value;
    const value = read();
    this.signals.set(key, { until: this.now() + SIGNAL_TTL_MS, value });
    return value;
  }

  /** Monthly active users of the portal over the Users in the catalog. */
  private async adoptionShare(): Promise<number | undefined> {
    const active = await this.readAdoption('/dashboard/active-users');
    const days: { mau: number | null }[] = active?.days ?? [];
    const mau = [...days].reverse().find(d => typeof d.mau === 'number')?.mau;
    if (typeof mau !== 'number') return undefined;
    const { totalItems } = await this.deps.catalog.queryEntities(
      { filter: { kind: 'User' }, limit: 1 },
      { credentials: await this.deps.auth.getOwnServiceCredentials() },
    );
    return totalItems ? Math.min(1, mau / totalItems) : undefined;
  }

  /** JSON from the adoption backend, if it is installed and answers. */
  private async readAdoption(path: string): Promise<any> {
    const base = await this.deps.discovery.getBaseUrl('adoption');
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
      targetPluginId: 'adoption',
    });
    const res = await fetch(`${base}${path}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(3000),
    });
    return res.ok ? await res.json() : undefined;
  }

  /**
   * The impact of a proposed change: a whole track, or one check added, changed
   * (same id, e.g. a new threshold) or removed in an existing track.
   */
  preview(change: PreviewRequest) {
    return previewImpact({
      store: this.deps.store,
      proposed: this.proposedTrack(change),
      otherTracks: this.listTracks(),
      knownFacts: this.deps.knownFacts,
      operators: this.deps.operators,
    });
  }

  private proposedTrack(change: PreviewRequest): TrackDefinition {
    // normalizeTrack fills in the texts a proposal (like configuration) may leave out.
    if (change.track) return normalizeTrack(change.track as TrackDefinition);
    const current = this.proposalBase(change.trackId);
    const without = (id: string) =>
      current.levels.map(l => ({
        ...l,
        checks: l.checks.filter(c => c.id !== id),
      }));
    if (change.removeCheck !== undefined) {
      if (
        !current.levels.some(l =>
          l.checks.some(c => c.id === change.removeCheck),
        )
      ) {
        throw new InputError(
          `removeCheck: track '${current.id}' has no check '${change.removeCheck}'`,
        );
      }
      return { ...current, levels: without(change.removeCheck) };
    }
    const { check, level } = change;
    if (!check || level === undefined) {
      throw new InputError(
        'Send { track } or { trackId, level, check } or { trackId, removeCheck }: check and level are required',
      );
    }
    const levels = without(check.id);
    const proposed = check as CheckDefinition;
    const target = levels.find(l => l.level === level);
    if (target) target.checks = [...target.checks, proposed];
    else levels.push({ level, name: `Level ${level}`, checks: [proposed] });
    return normalizeTrack({ ...current, levels });
  }

  /** The track a proposal changes; the first when none is named. */
  private proposalBase(trackId?: string): TrackDefinition {
    const tracks = this.listTracks();
    const track =
      trackId === undefined ? tracks[0] : tracks.find(t => t.id === trackId);
    if (!track) {
      // The track is named in the body, not the path: bad input, not a missing page.
      throw new InputError(
        `trackId: no scorecard track '${trackId}' (there are: ${
          tracks.map(t => t.id).join(', ') || 'none'
        })`,
      );
    }
    return track;
  }
}

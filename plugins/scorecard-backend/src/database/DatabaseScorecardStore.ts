import { DatabaseService } from '@backstage/backend-plugin-api';
import { migrateDatabase } from '@paved/backend-plugin-utils';
import { Knex } from 'knex';
import {
  EvaluationWrite,
  HistoryRow,
  ScorecardStore,
  StoredEntity,
  StoredScore,
} from './ScorecardStore';

const iso = (v: Date | string | number) => new Date(v).toISOString();

/** Scores and facts in the plugin's database (Postgres or SQLite). */
export class DatabaseScorecardStore implements ScorecardStore {
  static async create({
    database,
  }: {
    database: DatabaseService;
  }): Promise<DatabaseScorecardStore> {
    return new DatabaseScorecardStore(
      await migrateDatabase(database, '@paved/plugin-scorecard-backend'),
    );
  }

  private readonly pg: boolean;

  private constructor(private readonly db: Knex) {
    this.pg = db.client.config.client === 'pg';
  }

  async getEntityStates(refs?: string[]) {
    const rows = await this.inChunks(refs, chunk => {
      const q = this.db('scorecard_entities').select(
        'entity_ref',
        'etag',
        'facts_hash',
      );
      return chunk ? q.whereIn('entity_ref', chunk) : q;
    });
    return new Map(
      rows.map(r => [
        r.entity_ref as string,
        { etag: r.etag as string | null, factsHash: r.facts_hash as string },
      ]),
    );
  }

  async getScoreStates(refs?: string[]) {
    const rows = await this.inChunks(refs, chunk => {
      const q = this.db('scorecard_levels').select(
        'entity_ref',
        'track_id',
        'checks_hash',
      );
      return chunk ? q.whereIn('entity_ref', chunk) : q;
    });
    return new Map(
      rows.map(r => [`${r.entity_ref} ${r.track_id}`, r.checks_hash as string]),
    );
  }

  async write({ at, entities, scores }: EvaluationWrite) {
    const now = at.toISOString();
    const results = scores.flatMap(s =>
      s.results.map(r => ({
        entity_ref: s.entityRef,
        track_id: s.trackId,
        check_id: r.checkId,
        passed: r.passed,
      })),
    );
    const resultTypes = {
      entity_ref: 'text',
      track_id: 'text',
      check_id: 'text',
      passed: 'boolean',
    };
    // Many rows (a full first run writes entities × checks) go in parallel slices on
    // Postgres, each its own statement; the levels and history stay one transaction.
    const slices =
      this.pg && results.length > 20000
        ? Array.from({ length: 4 }, (_, i) =>
            results.slice(
              Math.floor((i * results.length) / 4),
              Math.floor(((i + 1) * results.length) / 4),
            ),
          )
        : [];
    const parallel = Promise.all(
      slices.map(slice =>
        this.db.transaction(tx =>
          this.upsert(
            tx,
            'scorecard_results',
            ['entity_ref', 'track_id', 'check_id'],
            slice,
            resultTypes,
          ),
        ),
      ),
    );
    await this.db.transaction(async tx => {
      if (!slices.length) {
        await this.upsert(
          tx,
          'scorecard_results',
          ['entity_ref', 'track_id', 'check_id'],
          results,
          resultTypes,
        );
      }
      await this.upsert(
        tx,
        'scorecard_entities',
        ['entity_ref'],
        entities.map(e => ({
          entity_ref: e.entityRef,
          kind: e.kind,
          owner: e.owner,
          etag: e.etag,
          facts: JSON.stringify({ ...e.facts, '@type': e.type ?? null }),
          facts_hash: e.factsHash,
          evaluated_at: now,
        })),
        {
          entity_ref: 'text',
          kind: 'text',
          owner: 'text',
          etag: 'text',
          facts: 'text',
          facts_hash: 'text',
          evaluated_at: 'timestamptz',
        },
      );
      await this.upsert(
        tx,
        'scorecard_levels',
        ['entity_ref', 'track_id'],
        scores.map(s => ({
          entity_ref: s.entityRef,
          track_id: s.trackId,
          level: s.level,
          owner: s.owner,
          checks_hash: s.checksHash,
          evaluated_at: now,
        })),
        {
          entity_ref: 'text',
          track_id: 'text',
          level: 'integer',
          owner: 'text',
          checks_hash: 'text',
          evaluated_at: 'timestamptz',
        },
      );
      const history = scores
        .filter(s => s.historic)
        .map(s => ({
          entity_ref: s.entityRef,
          track_id: s.trackId,
          level: s.level,
          failing: JSON.stringify(
            s.results.filter(r => !r.passed).map(r => r.checkId),
          ),
          recorded_at: now,
        }));
      for (let i = 0; i < history.length; i += 2000) {
        await tx('scorecard_history').insert(history.slice(i, i + 2000));
      }
      // Only results changed otherwise, which nothing derived from all entities reads.
      if (entities.length || scores.length) await this.bumpRevision(tx);
    });
    await parallel;
  }

  private async bumpRevision(tx: Knex.Transaction) {
    await tx('scorecard_revision').where({ id: 1 }).increment('revision', 1);
  }

  async getRevision() {
    const row = await this.db('scorecard_revision')
      .where({ id: 1 })
      .first('revision');
    // bigint comes back as a string from pg.
    return Number(row?.revision ?? 0);
  }

  /**
   * Batched upsert: on Postgres one statement per 20,000 rows through
   * json_to_recordset (a single bound parameter); elsewhere knex's multi-row insert.
   */
  private async upsert(
    tx: Knex.Transaction,
    table: string,
    keys: string[],
    rows: Record<string, unknown>[],
    types: Record<string, string>,
  ) {
    if (rows.length === 0) return;
    const columns = Object.keys(types);
    const updates = columns.filter(c => !keys.includes(c));
    if (this.pg) {
      const list = columns.map(c => `"${c}"`).join(', ');
      const recordType = columns.map(c => `"${c}" ${types[c]}`).join(', ');
      const set = updates.map(c => `"${c}" = excluded."${c}"`).join(', ');
      for (let i = 0; i < rows.length; i += 20000) {
        await tx.raw(
          `insert into ${table} (${list}) select ${list} from json_to_recordset(?::json) as x(${recordType}) on conflict (${keys
            .map(k => `"${k}"`)
            .join(', ')}) do update set ${set}`,
          [JSON.stringify(rows.slice(i, i + 20000))],
        );
      }
      return;
    }
    const size = Math.floor(30000 / columns.length);
    for (let i = 0; i < rows.length; i += size) {
      await tx(table)
        .insert(rows.slice(i, i + size))
        .onConflict(keys)
        .merge(updates);
    }
  }

  async deleteEntities(refs: string[]) {
    for (let i = 0; i < refs.length; i += 500) {
      const chunk = refs.slice(i, i + 500);
      await this.db.transaction(async tx => {
        for (const table of [
          'scorecard_entities',
          'scorecard_levels',
          'scorecard_results',
        ]) {
          await tx(table).whereIn('entity_ref', chunk).delete();
        }
        await this.bumpRevision(tx);
      });
    }
  }

  async getEntity(entityRef: string) {
    const row = await this.db('scorecard_entities')
      .where({ entity_ref: entityRef })
      .first();
    return row ? this.toEntity(row) : undefined;
  }

  async listEntities(): Promise<StoredEntity[]> {
    const rows = await this.db('scorecard_entities').select();
    return rows.map(r => this.toEntity(r));
  }

  private toEntity(r: any): StoredEntity {
    const { '@type': type, ...facts } = JSON.parse(r.facts);
    return {
      entityRef: r.entity_ref,
      kind: r.kind,
      type: type ?? undefined,
      owner: r.owner,
      etag: r.etag,
      facts,
      factsHash: r.facts_hash,
    };
  }

  async getScores(entityRef: string): Promise<StoredScore[]> {
    const [levels, results] = await Promise.all([
      this.db('scorecard_levels').where({ entity_ref: entityRef }),
      this.db('scorecard_results').where({ entity_ref: entityRef }),
    ]);
    return levels.map(l => ({
      entityRef,
      trackId: l.track_id,
      level: l.level,
      owner: l.owner,
      checksHash: l.checks_hash,
      results: results
        .filter(r => r.track_id === l.track_id)
        .map(r => ({
          checkId: r.check_id,
          passed: Boolean(r.passed),
        })),
    }));
  }

  async getEvaluatedAt(entityRef: string) {
    const row = await this.db('scorecard_entities')
      .where({ entity_ref: entityRef })
      .first('evaluated_at');
    return row ? iso(row.evaluated_at) : undefined;
  }

  async getHistory(entityRef: string, limit: number): Promise<HistoryRow[]> {
    const rows = await this.db('scorecard_history')
      .where({ entity_ref: entityRef })
      .orderBy('id', 'desc')
      .limit(limit);
    return rows.map(r => ({
      trackId: r.track_id,
      level: r.level,
      failing: JSON.parse(r.failing),
      recordedAt: iso(r.recorded_at),
    }));
  }

  async listLevels({
    trackId,
    owners,
  }: {
    trackId: string;
    owners?: string[];
  }) {
    const q = this.db('scorecard_levels')
      .where({ track_id: trackId })
      .select('entity_ref', 'level');
    if (owners) q.whereIn('owner', owners);
    const rows = await q;
    return rows.map(r => ({ entityRef: r.entity_ref, level: r.level }));
  }

  async countFailing({
    trackId,
    owners,
  }: {
    trackId: string;
    owners?: string[];
  }) {
    const q = this.db('scorecard_results as r')
      .where({ 'r.track_id': trackId, 'r.passed': false })
      .groupBy('r.check_id')
      .select('r.check_id')
      .count({ failing: '*' });
    if (owners) {
      q.join('scorecard_levels as l', join =>
        join
          .on('l.entity_ref', 'r.entity_ref')
          .andOn('l.track_id', 'r.track_id'),
      ).whereIn('l.owner', owners);
    }
    const rows: any[] = await q;
    return rows.map(r => ({
      checkId: r.check_id as string,
      failing: Number(r.failing),
    }));
  }

  async levelDistribution(trackId: string) {
    const rows = await this.db('scorecard_levels')
      .where({ track_id: trackId })
      .groupBy('level')
      .select('level')
      .count({ count: '*' });
    return new Map(
      (rows as any[]).map(r => [Number(r.level), Number(r.count)]),
    );
  }

  async recordDailySnapshot(day: string, trackId: string) {
    const distribution = await this.levelDistribution(trackId);
    await this.db.transaction(async tx => {
      await tx('scorecard_daily_levels')
        .where({ day, track_id: trackId })
        .delete();
      const rows = [...distribution].map(([level, count]) => ({
        day,
        track_id: trackId,
        level,
        count,
      }));
      if (rows.length) await tx('scorecard_daily_levels').insert(rows);
    });
  }

  async getTrend(trackId: string, sinceDay: string) {
    const rows = await this.db('scorecard_daily_levels')
      .where({ track_id: trackId })
      .andWhere('day', '>=', sinceDay)
      .orderBy(['day', 'level']);
    return rows.map(r => ({
      day: r.day as string,
      level: Number(r.level),
      count: Number(r.count),
    }));
  }

  private async inChunks(
    refs: string[] | undefined,
    query: (chunk?: string[]) => Knex.QueryBuilder,
  ): Promise<any[]> {
    if (!refs) return await query();
    const out: any[] = [];
    for (let i = 0; i < refs.length; i += 500) {
      out.push(...(await query(refs.slice(i, i + 500))));
    }
    return out;
  }
}

import { Knex } from 'knex';
import {
  ActiveUsersPoint,
  DashboardStore,
  GrainName,
  PeopleFilter,
  UsageRow,
} from './DashboardStore';
import { REVISION } from './DatabaseRollupStore';
import { GRAINS, groupByOf } from './grains';

const KEYS = ['plugin_id', 'action', 'route', 'subject', 'entity_ref'] as const;
const keyOf = (row: Record<string, unknown>) =>
  KEYS.map(k => String(row[k] ?? '')).join('\u0000');
const num = (value: unknown) => Number(value ?? 0);
/** The most rollup reads kept for one revision (a few per dashboard range). */
const MAX_KEPT_READS = 200;

function toRow(
  row: Record<string, unknown>,
  users: number,
  exact: boolean,
): UsageRow {
  return {
    pluginId: String(row.plugin_id),
    action: String(row.action),
    route: String(row.route ?? ''),
    subject: String(row.subject ?? ''),
    entityRef: String(row.entity_ref ?? ''),
    events: num(row.events),
    userDays: num(row.user_days),
    users,
    zeroResults: num(row.zero_results),
    exact,
  };
}

/** The dashboard's reads from the plugin's database. */
export class DatabaseDashboardStore implements DashboardStore {
  static create(options: { knex: Knex }) {
    return new DatabaseDashboardStore(options.knex);
  }

  private constructor(private readonly knex: Knex) {}

  /**
   * What was read from the rollups at one revision of them (see REVISION), by
   * query. Only the rollups: they change only when a refresh moves the revision,
   * while the raw events (a team's figures), runs and survey answers are read live.
   */
  private rolledUp?: {
    revision: number;
    reads: Map<string, Promise<unknown>>;
  };

  /**
   * `read()`'s answer at the rollups' current revision: one small query per call
   * tells whether a refresh (on any replica) moved it; the reads of one revision are
   * shared by every request, also while they run.
   */
  private async atRevision<T>(key: string, read: () => Promise<T>): Promise<T> {
    // Read before the data: what is read at a newer revision than it is kept under
    // is only read once more, never kept past a change.
    const row = await this.knex('adoption_rollup_state')
      .where({ name: REVISION })
      .first('last_event_id');
    const revision = num(row?.last_event_id);
    if (this.rolledUp?.revision !== revision) {
      this.rolledUp = { revision, reads: new Map() };
    }
    const { reads } = this.rolledUp;
    let value = reads.get(key) as Promise<T> | undefined;
    if (!value) {
      const loading = read();
      value = loading;
      reads.set(key, loading);
      // A failed read is not kept: the next request tries again.
      loading.catch(() => {
        if (reads.get(key) === loading) reads.delete(key);
      });
      // Ranges are chosen freely: keep at most so many of one revision.
      if (reads.size > MAX_KEPT_READS) {
        reads.delete(reads.keys().next().value as string);
      }
    }
    return value;
  }

  /** DAU, and WAU/MAU over the 7 and 30 days ending each day, exact. */
  async activeUsers(fromDay: number, toDay: number, people?: PeopleFilter) {
    if (!people) {
      return this.atRevision(`active-users:${fromDay}:${toDay}`, () =>
        this.rolledUpActiveUsers(fromDay, toDay),
      );
    }
    return this.activeUsersOf(fromDay, toDay, people);
  }

  private async rolledUpActiveUsers(fromDay: number, toDay: number) {
    const rows = await this.knex('adoption_active_users_windows')
      .where('day', '>=', fromDay)
      .andWhere('day', '<=', toDay);
    const byDay = new Map(rows.map(row => [num(row.day), row]));
    const points: ActiveUsersPoint[] = [];
    for (let day = fromDay; day <= toDay; day++) {
      const row = byDay.get(day);
      points.push({
        day,
        dau: num(row?.dau),
        wau: num(row?.wau),
        mau: num(row?.mau),
      });
    }
    return points;
  }

  /**
   * DAU, and WAU/MAU over the 7 and 30 days ending each day, exact, of some people.
   * Each day a user was active counts them on the days from it until their next
   * active day or the window's end, whichever is first; these spans do not overlap,
   * so summing their starts and ends over the days gives the distinct users of
   * every window.
   */
  private async activeUsersOf(
    fromDay: number,
    toDay: number,
    people: PeopleFilter,
  ) {
    const bindings: Knex.Value[] = [fromDay - 29, toDay];
    const who = `AND user_ref IN (${
      people.users.map(() => '?').join(', ') || 'NULL'
    })`;
    bindings.push(...people.users);
    const end = (window: number) =>
      `CASE WHEN nxt IS NOT NULL AND nxt < day + ${window} THEN nxt ELSE day + ${window} END`;
    const result = await this.knex.raw(
      `WITH a AS (
         SELECT day, LEAD(day) OVER (PARTITION BY user_ref ORDER BY day) AS nxt
         FROM adoption_active_users_daily
         WHERE day >= ? AND day <= ? ${who}
       )
       SELECT 'start' AS kind, day AS d, COUNT(*) AS n FROM a GROUP BY day
       UNION ALL
       SELECT 'end7', ${end(7)}, COUNT(*) FROM a GROUP BY ${end(7)}
       UNION ALL
       SELECT 'end30', ${end(30)}, COUNT(*) FROM a GROUP BY ${end(30)}`,
      bindings,
    );
    const rows: Array<{ kind: string; d: unknown; n: unknown }> = Array.isArray(
      result,
    )
      ? result
      : result.rows;
    const delta = new Map<string, number>();
    for (const row of rows) {
      delta.set(`${row.kind}:${num(row.d)}`, num(row.n));
    }
    const points: ActiveUsersPoint[] = [];
    let wau = 0;
    let mau = 0;
    for (let day = fromDay - 29; day <= toDay; day++) {
      const started = delta.get(`start:${day}`) ?? 0;
      wau += started - (delta.get(`end7:${day}`) ?? 0);
      mau += started - (delta.get(`end30:${day}`) ?? 0);
      if (day >= fromDay) {
        points.push({ day, dau: started, wau, mau });
      }
    }
    return points;
  }

  async usage(
    grainName: GrainName,
    fromDay: number,
    toDay: number,
    people?: PeopleFilter,
  ): Promise<UsageRow[]> {
    return people
      ? this.rawUsage(grainName, fromDay, toDay, people)
      : this.atRevision(`usage:${grainName}:${fromDay}:${toDay}`, () =>
          this.rolledUpUsage(grainName, fromDay, toDay),
        );
  }

  private async rolledUpUsage(
    grain: GrainName,
    fromDay: number,
    toDay: number,
  ) {
    const daily = await this.knex('adoption_rollup_daily')
      .select(...KEYS)
      .sum({
        events: 'events',
        user_days: 'users',
        zero_results: 'zero_results',
      })
      .max({ peak: 'users' })
      .where({ grain })
      .andWhere('day', '>=', fromDay)
      .andWhere('day', '<=', toDay)
      .groupBy(...KEYS);
    const weekly = await this.knex('adoption_rollup_weekly')
      .select(...KEYS)
      .max({ peak: 'users' })
      .where({ grain })
      .andWhere('week', '>=', fromDay)
      .andWhere('week', '<=', toDay - 6)
      .groupBy(...KEYS);
    const peakWeekly = new Map(weekly.map(row => [keyOf(row), num(row.peak)]));
    return daily.map(row =>
      toRow(
        row,
        Math.max(num(row.peak), peakWeekly.get(keyOf(row)) ?? 0),
        fromDay === toDay,
      ),
    );
  }

  private async rawUsage(
    grainName: GrainName,
    fromDay: number,
    toDay: number,
    people: PeopleFilter,
  ) {
    const g = GRAINS.find(grain => grain.name === grainName)!;
    const marks = people.users.map(() => '?').join(', ') || 'NULL';
    const result = await this.knex.raw(
      `SELECT plugin_id, ${g.action} AS action, ${g.route} AS route,
              ${g.subject} AS subject, ${g.entityRef} AS entity_ref,
              COUNT(*) AS events, COUNT(DISTINCT user_ref) AS users,
              SUM(CASE WHEN action = 'search' AND value = 0 THEN 1 ELSE 0 END) AS zero_results,
              COUNT(DISTINCT user_ref || ':' || day) AS user_days
       FROM adoption_events
       WHERE day >= ? AND day <= ? AND ${g.where}
         AND (user_ref IN (${marks}) OR team = ?)
       GROUP BY ${groupByOf(g)}`,
      [fromDay, toDay, ...people.users, people.team],
    );
    const rows: Record<string, unknown>[] = Array.isArray(result)
      ? result
      : result.rows;
    return rows.map(row => toRow(row, num(row.users), true));
  }

  async scaffolderRuns(fromDay: number, toDay: number, people?: PeopleFilter) {
    let query = this.knex('adoption_scaffolder_runs')
      .select('template_ref', 'outcome', 'duration_ms', 'created_by')
      .where('day', '>=', fromDay)
      .andWhere('day', '<=', toDay);
    if (people) {
      query = query.andWhere(inner =>
        inner.whereIn('created_by', people.users).orWhere('team', people.team),
      );
    }
    const rows = await query;
    return rows.map(row => ({
      templateRef: row.template_ref,
      outcome: row.outcome,
      durationMs: row.duration_ms === null ? undefined : num(row.duration_ms),
      createdBy: row.created_by ?? undefined,
    }));
  }

  async surveyAnswers(fromDay: number, toDay: number) {
    const rows = await this.knex('adoption_survey')
      .select('day', 'score', 'comment')
      .where({ kind: 'response' })
      .andWhere('day', '>=', fromDay)
      .andWhere('day', '<=', toDay)
      .orderBy('id');
    return rows.map(row => ({
      day: num(row.day),
      score: num(row.score),
      comment: row.comment ?? undefined,
    }));
  }
}

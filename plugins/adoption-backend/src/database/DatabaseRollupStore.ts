import { Knex } from 'knex';
import { weekOf } from '../days';
import { GRAINS, groupByOf, keysOf, MEASURES } from './grains';
import { RollupStore } from './RollupStore';

const STATE = 'events';
/**
 * The row of `adoption_rollup_state` whose counter every refresh moves (in the same
 * transaction as what it rewrote): the dashboard reuses what it read from the rollups
 * until it moves, on every replica.
 */
export const REVISION = 'revision';
/**
 * Ids below the watermark re-read on every refresh: a Postgres transaction that took
 * its ids earlier may commit after a later one, so the newest ids are not yet final.
 */
const SAFETY_MARGIN = 5_000;
const DAYS_PER_STATEMENT = 50;
/** The most days without events whose windows one refresh fills in. */
const MAX_WINDOW_FILL = 400;

const COLUMNS = `grain, plugin_id, action, route, subject, entity_ref, events, users, zero_results`;

/** Rollups computed with INSERT ... SELECT in the database. */
export class DatabaseRollupStore implements RollupStore {
  static create(options: { knex: Knex }) {
    return new DatabaseRollupStore(options.knex);
  }

  private constructor(private readonly knex: Knex) {}

  async refresh(options: { oldestDay: number; today: number }) {
    return this.knex.transaction(async tx => {
      await tx('adoption_rollup_state')
        .insert({ name: STATE, last_event_id: 0 })
        .onConflict('name')
        .ignore();
      // One refresh at a time (the scheduled one and one asked for on demand).
      let stateQuery = tx('adoption_rollup_state').where({ name: STATE });
      if (tx.client.config.client === 'pg') {
        stateQuery = stateQuery.forUpdate();
      }
      const state = await stateQuery.first();
      const last = Number(state.last_event_id);
      const maxRow = await tx('adoption_events').max({ max: 'id' }).first();
      const max = Number(maxRow?.max ?? 0);
      if (max <= last) {
        await this.updateWindows(tx, [], options.today);
        await this.bumpRevision(tx);
        return { days: [] };
      }
      const touched = await tx('adoption_events')
        .distinct('day')
        .where('id', '>', Math.max(0, last - SAFETY_MARGIN))
        .andWhere('id', '<=', max);
      const days = touched
        .map(row => Number(row.day))
        .filter(day => day >= options.oldestDay)
        .sort((a, b) => a - b);
      for (let i = 0; i < days.length; i += DAYS_PER_STATEMENT) {
        await this.aggregateDays(tx, days.slice(i, i + DAYS_PER_STATEMENT));
      }
      const weeks = [...new Set(days.map(weekOf))].filter(
        week => week >= options.oldestDay,
      );
      for (const week of weeks) {
        await this.aggregateWeek(tx, week);
      }
      await this.updateWindows(tx, days, options.today);
      await tx('adoption_rollup_state')
        .where({ name: STATE })
        .update({ last_event_id: max });
      await this.bumpRevision(tx);
      return { days };
    });
  }

  private async bumpRevision(tx: Knex.Transaction) {
    await tx('adoption_rollup_state')
      .insert({ name: REVISION, last_event_id: 1 })
      .onConflict('name')
      .merge({
        last_event_id: tx.raw('adoption_rollup_state.last_event_id + 1'),
      });
  }

  private async aggregateDays(tx: Knex.Transaction, days: number[]) {
    await tx('adoption_rollup_daily').whereIn('day', days).delete();
    await tx('adoption_active_users_daily').whereIn('day', days).delete();
    const marks = days.map(() => '?').join(', ');
    for (const g of GRAINS) {
      const keys = keysOf(g);
      await tx.raw(
        `INSERT INTO adoption_rollup_daily (day, ${COLUMNS})
         SELECT day, '${g.name}', ${keys}, ${MEASURES}
         FROM adoption_events
         WHERE day IN (${marks}) AND ${g.where}
         GROUP BY day, ${groupByOf(g)}`,
        days,
      );
    }
    await tx.raw(
      `INSERT INTO adoption_active_users_daily (day, user_ref)
       SELECT DISTINCT day, user_ref FROM adoption_events
       WHERE day IN (${marks}) AND user_ref IS NOT NULL`,
      days,
    );
  }

  /**
   * Recomputes DAU/WAU/MAU of the days whose 30-day window holds a changed day, and
   * of the days up to `today` not computed yet.
   */
  private async updateWindows(
    tx: Knex.Transaction,
    changed: number[],
    today: number,
  ) {
    const newest = await tx('adoption_active_users_windows')
      .max({ day: 'day' })
      .first();
    const lastComputed =
      newest?.day === null || newest?.day === undefined
        ? undefined
        : Number(newest.day);
    const latestActive = await tx('adoption_active_users_daily')
      .max({ day: 'day' })
      .first();
    const end = Math.max(today, Number(latestActive?.day ?? today));
    const affected = new Set<number>();
    for (const day of changed) {
      for (let d = day; d <= Math.min(day + 29, end); d++) affected.add(d);
    }
    if (lastComputed !== undefined || changed.length > 0) {
      const start = Math.max(
        (lastComputed ?? Math.min(...changed)) + 1,
        end - MAX_WINDOW_FILL,
      );
      for (let d = start; d <= end; d++) affected.add(d);
    }
    const days = [...affected].sort((a, b) => a - b);
    for (let i = 0; i < days.length; i += DAYS_PER_STATEMENT) {
      const chunk = days.slice(i, i + DAYS_PER_STATEMENT);
      await tx('adoption_active_users_windows').whereIn('day', chunk).delete();
      const values = chunk.map(() => '(CAST(? AS integer))').join(', ');
      const count = (window: number) =>
        `(SELECT COUNT(DISTINCT a.user_ref) FROM adoption_active_users_daily a
          WHERE a.day >= d.day - ${window - 1} AND a.day <= d.day)`;
      await tx.raw(
        `WITH d(day) AS (VALUES ${values})
         INSERT INTO adoption_active_users_windows (day, dau, wau, mau)
         SELECT d.day, ${count(1)}, ${count(7)}, ${count(30)} FROM d`,
        chunk,
      );
    }
  }

  private async aggregateWeek(tx: Knex.Transaction, week: number) {
    await tx('adoption_rollup_weekly').where({ week }).delete();
    for (const g of GRAINS) {
      const keys = keysOf(g);
      await tx.raw(
        `INSERT INTO adoption_rollup_weekly (week, ${COLUMNS})
         SELECT CAST(? AS integer), '${g.name}', ${keys}, ${MEASURES}
         FROM adoption_events
         WHERE day >= ? AND day <= ? AND ${g.where}
         GROUP BY ${groupByOf(g)}`,
        [week, week, week + 6],
      );
    }
  }
}

import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { testDatabaseIds } from '@paved/test-utils';
import { Knex } from 'knex';
import { dayOf, weekOf } from '../days';
import { DatabaseDashboardStore } from './DatabaseDashboardStore';
import { DatabaseEventStore } from './DatabaseEventStore';
import { DatabaseRollupStore } from './DatabaseRollupStore';
import { StoredEvent } from './EventStore';
import { migrateDatabase } from '@paved/backend-plugin-utils';

const databases = TestDatabases.create({ ids: testDatabaseIds() });

/** A small deterministic random number generator (mulberry32). */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TODAY = dayOf('2026-11-26T12:00:00Z');
const FIRST = TODAY - 39;
const PLUGINS = ['catalog', 'techdocs', 'scaffolder', 'search', 'provisioning'];

function randomEvents(count: number, seed: number): StoredEvent[] {
  const rnd = random(seed);
  const pick = <T>(items: T[]) => items[Math.floor(rnd() * items.length)];
  return Array.from({ length: count }, () => {
    const pluginId = pick(PLUGINS);
    const action =
      pluginId === 'search'
        ? 'search'
        : pick(['navigate', 'navigate', 'click']);
    const day = FIRST + Math.floor(rnd() * 40);
    return {
      occurredAt: new Date(day * 86_400_000 + Math.floor(rnd() * 86_400_000)),
      source: 'frontend' as const,
      // a few anonymous events
      user:
        rnd() < 0.02 ? undefined : `user:default/u${Math.floor(rnd() * 40)}`,
      pluginId,
      action,
      subject:
        action === 'search' ? pick(['Kafka', 'kafka ', 'postgres', 'x']) : '/p',
      value: action === 'search' ? pick([0, 1, 5]) : undefined,
      route: `${pluginId}:${pick(['index', 'entity', 'docs'])}`,
      entityRef: pick([
        'component:default/a',
        'component:default/b',
        undefined,
      ]),
    };
  });
}

describe.each(databases.eachSupportedId())('rollups on %p', databaseId => {
  let knex: Knex;
  let events: DatabaseEventStore;
  let rollups: DatabaseRollupStore;
  let dashboard: DatabaseDashboardStore;

  const rows = async (sql: string, bindings: Knex.Value[] = []) => {
    const result = await knex.raw(sql, bindings);
    return (Array.isArray(result) ? result : result.rows) as any[];
  };
  const distinctUsers = async (from: number, to: number) =>
    Number(
      (
        await rows(
          'SELECT COUNT(DISTINCT user_ref) AS n FROM adoption_events WHERE day >= ? AND day <= ?',
          [from, to],
        )
      )[0].n,
    );

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    await migrateDatabase(
      mockServices.database({ knex }),
      '@paved/plugin-adoption-backend',
    );
    events = DatabaseEventStore.create({ knex });
    rollups = DatabaseRollupStore.create({ knex });
    dashboard = DatabaseDashboardStore.create({ knex });
    await events.insertEvents(randomEvents(3000, 1));
  });

  it('counts what a direct query over the raw events counts', async () => {
    const { days } = await rollups.refresh({ oldestDay: 0, today: TODAY });
    expect(days).toHaveLength(40);

    // DAU, WAU and MAU of every day against COUNT(DISTINCT) over raw events
    const series = await dashboard.activeUsers(FIRST, TODAY);
    expect(series).toHaveLength(40);
    for (const point of series) {
      expect([point.day, point.dau, point.wau, point.mau]).toEqual([
        point.day,
        await distinctUsers(point.day, point.day),
        await distinctUsers(point.day - 6, point.day),
        await distinctUsers(point.day - 29, point.day),
      ]);
    }

    // per plugin per day: events and distinct users
    const daily = await rows(
      `SELECT day, plugin_id, events, users FROM adoption_rollup_daily WHERE grain = 'plugin' ORDER BY day, plugin_id`,
    );
    const direct = await rows(
      `SELECT day, plugin_id, COUNT(*) AS events, COUNT(DISTINCT user_ref) AS users
       FROM adoption_events GROUP BY day, plugin_id ORDER BY day, plugin_id`,
    );
    expect(daily.map(r => [r.day, r.plugin_id, +r.events, +r.users])).toEqual(
      direct.map(r => [r.day, r.plugin_id, +r.events, +r.users]),
    );

    // weekly distinct users are exact, not sums of days
    const week = weekOf(TODAY - 10);
    const weekly = await rows(
      `SELECT plugin_id, users FROM adoption_rollup_weekly WHERE grain = 'plugin' AND week = ? ORDER BY plugin_id`,
      [week],
    );
    const weeklyDirect = await rows(
      `SELECT plugin_id, COUNT(DISTINCT user_ref) AS users FROM adoption_events
       WHERE day >= ? AND day <= ? GROUP BY plugin_id ORDER BY plugin_id`,
      [week, week + 6],
    );
    expect(weekly.map(r => [r.plugin_id, +r.users])).toEqual(
      weeklyDirect.map(r => [r.plugin_id, +r.users]),
    );

    // usage over a range: events exact, users a lower bound of the exact count
    const usage = await dashboard.usage('plugin', FIRST, TODAY);
    const rangeDirect = await rows(
      `SELECT plugin_id, COUNT(*) AS events, COUNT(DISTINCT user_ref) AS users
       FROM adoption_events GROUP BY plugin_id`,
    );
    for (const r of rangeDirect) {
      const row = usage.find(u => u.pluginId === r.plugin_id)!;
      expect(row.events).toBe(Number(r.events));
      expect(row.users).toBeLessThanOrEqual(Number(r.users));
      expect(row.users).toBeGreaterThanOrEqual(
        Math.max(...weekly.map(w => +w.users), 0) > 0 ? 1 : 0,
      );
    }

    // search terms: normalized, with searches that found nothing
    const terms = await dashboard.usage('search', FIRST, TODAY);
    const termsDirect = await rows(
      `SELECT LOWER(TRIM(subject)) AS term, COUNT(*) AS n,
              SUM(CASE WHEN value = 0 THEN 1 ELSE 0 END) AS zero
       FROM adoption_events WHERE action = 'search' GROUP BY LOWER(TRIM(subject))`,
    );
    expect(terms.map(t => [t.subject, t.events, t.zeroResults]).sort()).toEqual(
      termsDirect.map(t => [t.term, +t.n, +t.zero]).sort(),
    );

    // filtered to people: exact distinct users from raw events
    const people = {
      users: ['user:default/u1', 'user:default/u2', 'user:default/u3'],
      team: 'group:default/none',
    };
    const teamUsage = await dashboard.usage('route', FIRST, TODAY, people);
    const teamDirect = await rows(
      `SELECT plugin_id, route, COUNT(*) AS events, COUNT(DISTINCT user_ref) AS users
       FROM adoption_events WHERE action = 'navigate' AND user_ref IN (?, ?, ?)
       GROUP BY plugin_id, route`,
      people.users,
    );
    expect(
      teamUsage.map(r => [r.pluginId, r.route, r.events, r.users]).sort(),
    ).toEqual(
      teamDirect.map(r => [r.plugin_id, r.route, +r.events, +r.users]).sort(),
    );
    const teamSeries = await dashboard.activeUsers(TODAY - 5, TODAY, people);
    for (const point of teamSeries) {
      const [{ n }] = await rows(
        `SELECT COUNT(DISTINCT user_ref) AS n FROM adoption_events
         WHERE day >= ? AND day <= ? AND user_ref IN (?, ?, ?)`,
        [point.day - 29, point.day, ...people.users],
      );
      expect(point.mau).toBe(Number(n));
    }
  });

  it('re-aggregates only the days that received events', async () => {
    expect(await rollups.refresh({ oldestDay: 0, today: TODAY })).toEqual({
      days: [],
    });
    await events.insertEvents(
      randomEvents(200, 2).map(e => ({
        ...e,
        occurredAt: new Date(
          (TODAY - (e.occurredAt.getTime() % 2)) * 86_400_000 + 1000,
        ),
      })),
    );
    const { days } = await rollups.refresh({ oldestDay: 0, today: TODAY });
    // the newest days, and the days of the ids within the safety margin
    expect(days).toEqual(expect.arrayContaining([TODAY - 1, TODAY]));
    const series = await dashboard.activeUsers(TODAY, TODAY);
    expect(series[0].dau).toBe(await distinctUsers(TODAY, TODAY));
    expect(series[0].mau).toBe(await distinctUsers(TODAY - 29, TODAY));
  });

  it('purges old raw events and keeps the rollups', async () => {
    await rollups.refresh({ oldestDay: 0, today: TODAY });
    const before = await dashboard.usage('plugin', FIRST, TODAY);
    const seriesBefore = await dashboard.activeUsers(FIRST, TODAY);
    const purged = await events.purgeBefore(TODAY - 9);
    expect(purged).toBeGreaterThan(0);
    const [{ oldest }] = await rows(
      'SELECT MIN(day) AS oldest FROM adoption_events',
    );
    expect(Number(oldest)).toBe(TODAY - 9);

    // a late event for a purged day does not overwrite that day's rollup
    await events.insertEvents(
      randomEvents(1, 3).map(e => ({
        ...e,
        occurredAt: new Date(FIRST * 86_400_000),
      })),
    );
    await rollups.refresh({ oldestDay: TODAY - 9, today: TODAY });
    expect(await dashboard.usage('plugin', FIRST, TODAY)).toEqual(before);
    expect(await dashboard.activeUsers(FIRST, TODAY)).toEqual(seriesBefore);
  });

  it('reuses what it read from the rollups until a refresh, on any replica, moves their revision', async () => {
    await rollups.refresh({ oldestDay: 0, today: TODAY });
    // Two replicas' stores over one database.
    const replicas = [
      DatabaseDashboardStore.create({ knex }),
      DatabaseDashboardStore.create({ knex }),
    ];
    const total = (usage: { events: number }[]) =>
      usage.reduce((sum, row) => sum + row.events, 0);
    const before = await Promise.all(
      replicas.map(r => r.usage('plugin', FIRST, TODAY)),
    );

    const queries: string[] = [];
    const record = (query: { sql: string }) => queries.push(query.sql);
    knex.on('query', record);
    try {
      expect(await replicas[0].usage('plugin', FIRST, TODAY)).toEqual(
        before[0],
      );
    } finally {
      knex.removeListener('query', record);
    }
    // Only the revision was read again.
    expect(queries).toHaveLength(1);
    expect(queries[0]).toContain('adoption_rollup_state');

    await events.insertEvents(
      randomEvents(50, 4).map(e => ({
        ...e,
        occurredAt: new Date(TODAY * 86_400_000 + 1000),
      })),
    );
    // Not rolled up yet: the figures stay.
    expect(total(await replicas[1].usage('plugin', FIRST, TODAY))).toBe(
      total(before[1]),
    );
    await rollups.refresh({ oldestDay: TODAY - 9, today: TODAY });
    for (const replica of replicas) {
      expect(total(await replica.usage('plugin', FIRST, TODAY))).toBe(
        total(before[0]) + 50,
      );
      expect((await replica.activeUsers(TODAY, TODAY))[0].dau).toBe(
        await distinctUsers(TODAY, TODAY),
      );
    }
  });
});

/*
 * `terminate-queries` on the real PostgreSQL server of the test run: a session
 * sleeping in a query is ended, an idle one and other databases' are not.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { PostgresAdmin } from './PostgresAdmin';
import { terminateQueriesAction } from './terminateQueries';
import { directStepContext, requireTestPostgres } from '@paved/test-utils';
import { withClient } from './__testUtils__/testPostgres';

jest.setTimeout(60_000);

describe('terminate-queries', () => {
  const pg = requireTestPostgres();
  const admin = new PostgresAdmin({
    id: 'test',
    title: 'Test',
    host: pg.host,
    port: pg.port,
    adminUser: pg.user,
    adminPassword: pg.password,
    adminDatabase: 'postgres',
    connectionHost: pg.host,
    connectionPort: pg.port,
    sslMode: 'disable',
  });
  const server = {
    host: pg.host,
    port: pg.port,
    user: pg.user,
    password: pg.password,
  };
  const name = `tq-${randomBytes(3).toString('hex')}`;
  const database = name.replace(/-/g, '_');

  beforeAll(() =>
    withClient({ ...server, database: 'postgres' }, c =>
      c.query(`CREATE DATABASE ${database}`),
    ),
  );
  afterAll(() =>
    withClient({ ...server, database: 'postgres' }, c =>
      c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`),
    ),
  );

  const activeSince = (pid: number) =>
    withClient({ ...server, database: 'postgres' }, async c => {
      const { rows } = await c.query(
        `SELECT state, now() - query_start > interval '1 second' AS old
           FROM pg_stat_activity WHERE pid = $1`,
        [pid],
      );
      return rows[0] as { state: string; old: boolean } | undefined;
    });

  it('ends a session whose query runs longer than the limit, and only that one', async () => {
    const sleeper = new Client({ ...server, database });
    sleeper.on('error', () => {});
    await sleeper.connect();
    const idle = new Client({ ...server, database });
    idle.on('error', () => {});
    await idle.connect();
    const pid = Number(
      (await sleeper.query('SELECT pg_backend_pid() AS pid')).rows[0].pid,
    );
    const idlePid = Number(
      (await idle.query('SELECT pg_backend_pid() AS pid')).rows[0].pid,
    );
    const sleeping = sleeper.query('SELECT pg_sleep(600)').then(
      () => 'finished',
      (error: Error) => error.message,
    );
    // Wait until the query has run for more than a second.
    for (let i = 0; i < 50 && !(await activeSince(pid))?.old; i++) {
      await new Promise(r => setTimeout(r, 200));
    }

    const ctx = directStepContext({
      request: {
        id: 'r1',
        type: 'postgres',
        name,
        owner: 'group:default/checkout-team',
        parameters: { target: 'test' },
        createdBy: 'user:default/bob',
      },
      outputs: {},
      logger: mockServices.logger.mock(),
      kind: 'action',
    });
    const action = terminateQueriesAction(new Map([['test', admin]]));
    await action.run({
      ...ctx,
      action: 'terminate-queries',
      input: { olderThanSeconds: 1 },
    });

    expect(await sleeping).toMatch(/terminat/i);
    expect(ctx.outputs.terminatedSessions).toBe(1);
    expect(await activeSince(pid)).toBeUndefined();
    expect((await activeSince(idlePid))?.state).toBe('idle');

    // Again: nothing left to end.
    await action.run({
      ...ctx,
      action: 'terminate-queries',
      input: { olderThanSeconds: 1 },
    });
    expect(ctx.outputs.terminatedSessions).toBe(0);
    await idle.end();
    await sleeper.end().catch(() => {});
  });
});

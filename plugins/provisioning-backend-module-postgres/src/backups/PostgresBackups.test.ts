import { escapeIdentifier as ident, escapeLiteral } from 'pg';
import { PostgresAdmin } from '../PostgresAdmin';
import {
  actionContext,
  directStepContext,
  requireTestPostgres,
} from '@paved/test-utils';
import { withClient } from '../__testUtils__/testPostgres';
import {
  BACKUP_STORE_TYPES,
  backupStoreFixture,
} from '../__testUtils__/backupStores';
import { backUpAll, createBackupActions } from './backupActions';
import { BackupStore } from './BackupStore';
import { findPgTools, PostgresBackups } from './PostgresBackups';
import * as childProcess from 'node:child_process';
import { JsonValue } from '@backstage/types';

jest.mock('node:child_process', () => {
  const actual = jest.requireActual('node:child_process');
  return { ...actual, spawn: jest.fn(actual.spawn) };
});

const pg = requireTestPostgres();
const admin = new PostgresAdmin({
  id: 'local',
  title: 'Local',
  host: pg.host,
  port: pg.port,
  adminUser: pg.user,
  adminPassword: pg.password,
  adminDatabase: 'postgres',
  connectionHost: pg.host,
  connectionPort: pg.port,
  sslMode: 'disable',
});
const as = (database: string) => ({
  host: pg.host,
  port: pg.port,
  user: pg.user,
  password: pg.password,
  database,
});
const rows = (database: string) =>
  withClient(as(database), async c =>
    (await c.query('SELECT id, note FROM items ORDER BY id')).rows.map(
      r => `${r.id}:${r.note}`,
    ),
  );

jest.setTimeout(60_000);

describe.each(BACKUP_STORE_TYPES)('PostgresBackups with the %s store', type => {
  const database = `backup_${process.pid}_${type}`;
  const copy = `${database}_copy`;
  const requestId = `req-${process.pid}-${type}`;
  const owner = { target: 'local', database, requestId };
  const fixture = backupStoreFixture(type);
  let clock = new Date('2026-11-20T10:00:00.000Z');
  const backups = new PostgresBackups(
    { store: fixture.store, ...findPgTools(), keep: 2 },
    () => clock,
  );

  beforeAll(async () => {
    await fixture.setUp();
    await withClient(as('postgres'), async c => {
      for (const db of [database, copy]) {
        await c.query(`DROP DATABASE IF EXISTS ${ident(db)}`);
      }
      await c.query(`CREATE DATABASE ${ident(database)}`);
    });
    await withClient(as(database), async c => {
      await c.query('CREATE TABLE items (id int PRIMARY KEY, note text)');
      await c.query(
        "INSERT INTO items SELECT g, 'note ' || g FROM generate_series(1, 50) g",
      );
    });
  });

  afterAll(async () => {
    await withClient(as('postgres'), async c => {
      for (const db of [database, copy]) {
        await c.query(`DROP DATABASE IF EXISTS ${ident(db)}`);
      }
    });
    await fixture.tearDown();
  });

  it('backs up, prunes, restores into the same and a new database, and reports status', async () => {
    const expected = await rows(database);
    const first = await backups.backup(admin, owner);
    expect(first.sizeBytes).toBeGreaterThan(0);
    const stored = await fixture.storedBytes(first);
    expect(stored).toHaveLength(first.sizeBytes);
    // pg_dump's custom format starts with "PGDMP".
    expect(stored.subarray(0, 5).toString()).toBe('PGDMP');

    // The password is in the environment of pg_dump, never in its arguments.
    const spawn = childProcess.spawn as unknown as jest.Mock;
    const [command, args, options] = spawn.mock.calls.at(-1);
    expect(command).toMatch(/pg_dump$/);
    expect(JSON.stringify(args)).not.toContain(pg.password);
    expect(options.env.PGPASSWORD).toBe(pg.password);

    clock = new Date('2026-11-21T10:00:00.000Z');
    await backups.backup(admin, owner);
    clock = new Date('2026-11-22T10:00:00.000Z');
    const newest = await backups.backup(admin, owner);
    const pruned = await backups.prune(owner);
    expect(pruned.map(b => b.id)).toEqual([first.id]);
    expect((await backups.store.list(owner)).map(b => b.createdAt)).toEqual([
      '2026-11-22T10:00:00.000Z',
      '2026-11-21T10:00:00.000Z',
    ]);

    // Rows deleted by mistake come back with a restore into the same database.
    await withClient(as(database), c =>
      c.query('DELETE FROM items WHERE id > 10'),
    );
    expect(await rows(database)).toHaveLength(10);
    await backups.restore(admin, newest, database, { clean: true });
    expect(await rows(database)).toEqual(expected);

    // Into a new database: identical rows.
    await withClient(as('postgres'), c =>
      c.query(`CREATE DATABASE ${ident(copy)}`),
    );
    await backups.restore(admin, newest, copy, { clean: false });
    expect(await rows(copy)).toEqual(expected);

    clock = new Date('2026-11-22T10:03:00.000Z');
    const section = await backups.statusSection(owner);
    expect(section.items).toEqual([
      {
        label: 'Last backup',
        value: '3 minutes ago (2026-11-22T10:00:00.000Z)',
      },
      { label: 'Backups kept', value: 2 },
    ]);
    expect(section.table?.columns).toEqual(['Time', 'Size', 'ID']);
    expect(section.table?.rows.map(r => r[2])).toEqual([
      newest.id,
      expect.any(String),
    ]);
  });

  it('fails without storing anything when pg_dump fails, and never shows the password', async () => {
    const missing = { ...owner, database: 'no_such_database_here' };
    const error = await backups.backup(admin, missing).catch(e => e);
    expect(String(error.message)).toContain('pg_dump failed');
    expect(String(error.message)).not.toContain(pg.password);
    expect(await backups.store.list(missing)).toEqual([]);
    expect(await fixture.leftovers()).toEqual([]);
  });

  it('backs up on demand (backup-now) and on schedule (backUpAll), keeping the newest two', async () => {
    // A live request's database, as provisioning marks it.
    await withClient(as('postgres'), c =>
      c.query(
        `COMMENT ON DATABASE ${ident(database)} IS ${escapeLiteral(
          `paved:request:${requestId}`,
        )}`,
      ),
    );
    const actions = createBackupActions({
      backups,
      admins: new Map([['local', admin]]),
    });
    const checkpoints = new Map<string, JsonValue | void>();
    const backUpNow = () =>
      actions['backup-now'].run(
        actionContext(
          directStepContext({
            request: {
              id: requestId,
              type: 'postgres',
              name: 'orders',
              owner: 'group:default/team',
              parameters: {},
              createdBy: 'user:default/bob',
            },
            outputs: { target: 'local', database },
            checkpoints,
          }),
          'backup-now',
          {},
        ),
      );
    const times = async () =>
      (await backups.store.list(owner)).map(b => b.createdAt);

    clock = new Date('2026-11-23T10:00:00.000Z');
    await backUpNow();
    // A resumed action does not make a second backup.
    await backUpNow();
    expect(await times()).toEqual([
      '2026-11-23T10:00:00.000Z',
      '2026-11-22T10:00:00.000Z',
    ]);

    // The scheduled run backs up the live databases the target lists; of those on
    // the shared server, only this test's (the others are other tests').
    const onlyThisTest = Object.assign(Object.create(admin), {
      listLiveDatabases: async () =>
        (await admin.listLiveDatabases()).filter(d => d.database === database),
    }) as PostgresAdmin;
    clock = new Date('2026-11-24T10:00:00.000Z');
    const failures: string[] = [];
    const made = await backUpAll({
      backups,
      admins: [onlyThisTest],
      onError: (db, error) => failures.push(`${db}: ${error}`),
    });
    expect(failures).toEqual([]);
    expect(made).toBe(1);
    expect(await times()).toEqual([
      '2026-11-24T10:00:00.000Z',
      '2026-11-23T10:00:00.000Z',
    ]);

    // What the schedule stored restores the rows.
    const expected = await rows(database);
    await withClient(as(database), c => c.query('DELETE FROM items'));
    const [newest] = await backups.store.list(owner);
    await backups.restore(admin, newest, database, { clean: true });
    expect(await rows(database)).toEqual(expected);
  });
});

describe('PostgresBackups when the store gives up half-way', () => {
  const database = `backup_${process.pid}_abandoned`;

  beforeAll(async () => {
    await withClient(as('postgres'), async c => {
      await c.query(`DROP DATABASE IF EXISTS ${ident(database)}`);
      await c.query(`CREATE DATABASE ${ident(database)}`);
    });
    // Megabytes of dump: far more than a pipe holds, so pg_dump blocks on a
    // reader that went away.
    await withClient(as(database), async c => {
      await c.query('CREATE TABLE items (id int PRIMARY KEY, note text)');
      await c.query(
        'INSERT INTO items SELECT g, repeat(md5(g::text), 30) FROM generate_series(1, 20000) g',
      );
    });
  });

  afterAll(async () => {
    await withClient(as('postgres'), c =>
      c.query(`DROP DATABASE IF EXISTS ${ident(database)}`),
    );
  });

  it('ends pg_dump instead of leaving it blocked on a full pipe', async () => {
    const spawn = childProcess.spawn as unknown as jest.Mock;
    const refusing = {
      // An upload refused after its first part: the store stops reading the dump.
      put: (
        _owner: unknown,
        data: NodeJS.ReadableStream & { destroy(): void },
      ) =>
        new Promise<never>((_resolve, reject) => {
          data.once('data', () => {
            data.destroy();
            reject(new Error('upload refused'));
          });
        }),
      list: async () => [],
      open: async () => {
        throw new Error('not used');
      },
      delete: async () => {},
    };
    const backups = new PostgresBackups({
      store: refusing as unknown as BackupStore,
      ...findPgTools(),
    });
    const calls = spawn.mock.calls.length;
    await expect(
      backups.backup(admin, { target: 'local', database, requestId: 'r' }),
    ).rejects.toThrow('upload refused');
    const child = spawn.mock.results[calls].value as childProcess.ChildProcess;
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise(resolve => child.once('close', resolve));
    }
    expect(child.signalCode ?? child.exitCode).not.toBeNull();
  });
});

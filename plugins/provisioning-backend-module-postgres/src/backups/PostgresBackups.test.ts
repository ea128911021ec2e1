import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeIdentifier as ident } from 'pg';
import { PostgresAdmin } from '../PostgresAdmin';
import { requireTestPostgres } from '@paved/test-utils';
import { withClient } from '../__testUtils__/testPostgres';
import { FolderBackupStore } from './BackupStore';
import { findPgTools, PostgresBackups } from './PostgresBackups';
import * as childProcess from 'node:child_process';

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

describe('PostgresBackups', () => {
  const database = `backup_${process.pid}`;
  const copy = `${database}_copy`;
  const owner = { target: 'local', database, requestId: 'req-1' };
  let folder: string;
  let clock = new Date('2026-11-20T10:00:00.000Z');
  let backups: PostgresBackups;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'paved-backups-'));
    backups = new PostgresBackups(
      {
        store: new FolderBackupStore(folder),
        ...findPgTools(),
        keep: 2,
      },
      () => clock,
    );
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
    rmSync(folder, { recursive: true, force: true });
  });

  it('backs up, prunes, restores into the same and a new database, and reports status', async () => {
    const expected = await rows(database);
    const first = await backups.backup(admin, owner);
    expect(first.sizeBytes).toBeGreaterThan(0);
    const file = join(folder, 'local', database, 'req-1', `${first.id}.dump`);
    // pg_dump's custom format starts with "PGDMP".
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('PGDMP');

    // The password is in the environment of pg_dump, never in its arguments.
    const spawn = childProcess.spawn as unknown as jest.Mock;
    const [command, args, options] = spawn.mock.calls[0];
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
  });
});

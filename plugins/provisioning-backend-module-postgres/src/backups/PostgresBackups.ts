import { ResourceStatusSection } from '@paved/plugin-provisioning-common';
import { NonRetryableError } from '@paved/plugin-provisioning-node';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { redactError } from '@paved/plugin-provisioning-node';
import { PostgresAdmin } from '../PostgresAdmin';
import { BackupInfo, BackupOwner, BackupStore } from './BackupStore';

/** `provisioning.postgres.backups`, validated and with defaults. @public */
export interface BackupSettings {
  store: BackupStore;
  pgDumpPath: string;
  pgRestorePath: string;
  /** How many backups of a database are kept; the newest one always is. */
  keep?: number;
  maxAgeMs?: number;
}

/** pg_dump from config, else `$PAVED_PG_BIN/pg_dump`, else the one on the PATH. */
export function findPgTools(
  configured?: { pgDumpPath?: string; pgRestorePath?: string },
  env: NodeJS.ProcessEnv = process.env,
): { pgDumpPath: string; pgRestorePath: string } {
  const fromBin =
    env.PAVED_PG_BIN && existsSync(join(env.PAVED_PG_BIN, 'pg_dump'))
      ? env.PAVED_PG_BIN
      : undefined;
  const pgDumpPath =
    configured?.pgDumpPath ?? (fromBin ? join(fromBin, 'pg_dump') : 'pg_dump');
  const pgRestorePath =
    configured?.pgRestorePath ??
    (pgDumpPath.includes('/')
      ? join(dirname(pgDumpPath), 'pg_restore')
      : 'pg_restore');
  return { pgDumpPath, pgRestorePath };
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

function formatAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 120) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} hours`;
  return `${Math.floor(hours / 24)} days`;
}

/**
 * Logical backups of request databases with pg_dump (custom format), their
 * retention, and restores with pg_restore. The tools run as the target's admin over
 * TCP; the password travels in their environment (`PGPASSWORD`), never in their
 * arguments, and is redacted from whatever they print.
 */
export class PostgresBackups {
  constructor(
    private readonly settings: BackupSettings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get store(): BackupStore {
    return this.settings.store;
  }

  /** Dumps one database into the store. */
  async backup(
    admin: PostgresAdmin,
    owner: BackupOwner,
    signal?: AbortSignal,
  ): Promise<BackupInfo> {
    const child = this.run(
      admin,
      this.settings.pgDumpPath,
      ['--format=custom', '--dbname', owner.database],
      signal,
    );
    return this.store.put(owner, child.output, this.now());
  }

  /** Backups beyond `keep` or older than `maxAge` are deleted; never the newest. */
  async prune(owner: BackupOwner): Promise<BackupInfo[]> {
    const { keep, maxAgeMs } = this.settings;
    const backups = await this.store.list(owner);
    const now = this.now().getTime();
    const doomed = backups.filter(
      (backup, index) =>
        index > 0 &&
        ((keep !== undefined && index >= keep) ||
          (maxAgeMs !== undefined &&
            now - new Date(backup.createdAt).getTime() > maxAgeMs)),
    );
    for (const backup of doomed) {
      await this.store.delete(backup);
    }
    return doomed;
  }

  /** The owner's backup with this id; a NonRetryableError if there is none. */
  async find(owner: BackupOwner, id: string): Promise<BackupInfo> {
    const backup = await this.findOrNewest(owner, id);
    if (!backup) {
      throw new NonRetryableError(
        `There is no backup '${id}' of database '${owner.database}'`,
      );
    }
    return backup;
  }

  /** The owner's backup with this id, or its newest one without an id; undefined when there is none. */
  async findOrNewest(
    owner: BackupOwner,
    id?: string,
  ): Promise<BackupInfo | undefined> {
    const backups = await this.store.list(owner);
    return id === undefined ? backups[0] : backups.find(b => b.id === id);
  }

  /**
   * Restores a backup into `database` with pg_restore in one transaction;
   * `clean` drops the objects of the backup first (a restore into the same database).
   * `asRole` restores into another request's database: the objects are made by (and
   * belong to) that role, and the backup's owners and grants, which name the source
   * database's roles, are left out.
   */
  async restore(
    admin: PostgresAdmin,
    backup: BackupInfo,
    database: string,
    options: { clean: boolean; asRole?: string; signal?: AbortSignal },
  ): Promise<void> {
    const input = await this.store.open(backup);
    const child = this.run(
      admin,
      this.settings.pgRestorePath,
      [
        '--dbname',
        database,
        '--single-transaction',
        '--exit-on-error',
        ...(options.clean ? ['--clean', '--if-exists'] : []),
        ...(options.asRole
          ? [
              `--role=${options.asRole}`,
              '--no-owner',
              '--no-privileges',
              '--no-tablespaces',
              '--no-security-labels',
              '--no-publications',
              '--no-subscriptions',
            ]
          : []),
      ],
      options.signal,
      input,
    );
    child.output.resume();
    await new Promise<void>((resolvePromise, reject) => {
      child.output.on('error', reject);
      child.output.on('end', () => resolvePromise());
    });
  }

  /** The "Backups" section of a database's status. */
  async statusSection(owner: BackupOwner): Promise<ResourceStatusSection> {
    const backups = await this.store.list(owner);
    if (backups.length === 0) {
      return {
        title: 'Backups',
        message:
          'No backup yet: one is made on the schedule, or now with the Back up now action.',
      };
    }
    const last = backups[0];
    return {
      title: 'Backups',
      items: [
        {
          label: 'Last backup',
          value: `${formatAge(
            this.now().getTime() - new Date(last.createdAt).getTime(),
          )} ago (${last.createdAt})`,
        },
        { label: 'Backups kept', value: backups.length },
      ],
      table: {
        columns: ['Time', 'Size', 'ID'],
        rows: backups.map(b => [b.createdAt, formatSize(b.sizeBytes), b.id]),
      },
    };
  }

  /**
   * Runs a PostgreSQL client tool as the target's admin. Its stdout is `output`,
   * which fails (instead of ending) when the tool exits with an error.
   */
  private run(
    admin: PostgresAdmin,
    command: string,
    args: string[],
    signal?: AbortSignal,
    input?: Readable,
  ): { output: Readable } {
    const { target } = admin;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      LANG: 'C',
      PGPASSWORD: target.adminPassword,
      PGSSLMODE: target.sslMode,
      PGAPPNAME: 'paved-backups',
      PGCONNECT_TIMEOUT: '15',
      ...(target.caFile ? { PGSSLROOTCERT: target.caFile } : {}),
    };
    const child = spawn(
      command,
      [
        '--host',
        target.host,
        '--port',
        String(target.port),
        '--username',
        target.adminUser,
        '--no-password',
        ...args,
      ],
      { env, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'], signal },
    );
    const output = new PassThrough();
    let stderr = '';
    child.stderr!.on('data', chunk => {
      stderr = (stderr + String(chunk)).slice(-4000);
    });
    if (input) {
      input.on('error', error => child.kill() && output.destroy(error));
      input.pipe(child.stdin!);
      child.stdin!.on('error', () => {});
    }
    child.stdout!.pipe(output, { end: false });
    // A store that gives up on the dump (an upload refused half-way) destroys the
    // stream: end the process too, or it waits on a full pipe for ever.
    output.on('close', () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill();
      }
    });
    const fail = (error: Error) =>
      output.destroy(redactError(error, [target.adminPassword]));
    child.on('error', error =>
      fail(new Error(`Could not run ${command}: ${error.message}`)),
    );
    child.on('close', (code, killedBy) => {
      if (code === 0) {
        output.end();
      } else {
        fail(
          new Error(
            `${command} failed (${
              killedBy ? `signal ${killedBy}` : `exit code ${code}`
            }) on database of target '${target.id}': ${stderr.trim()}`,
          ),
        );
      }
    });
    return { output };
  }
}

import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';

/** Whose backups: one request's database on one target. @public */
export interface BackupOwner {
  target: string;
  database: string;
  requestId: string;
}

/** A stored backup (`pg_dump --format=custom`). @public */
export interface BackupInfo extends BackupOwner {
  /** Sortable and unique, e.g. `20261126T003000123Z-1a2b`. */
  id: string;
  createdAt: string;
  sizeBytes: number;
}

/**
 * Where backups are kept: a folder for local use; object storage in production
 * implements the same four operations.
 *
 * @public
 */
export interface BackupStore {
  /** Stores the stream as a new backup; nothing is kept when the stream fails. */
  put(
    owner: BackupOwner,
    data: Readable,
    createdAt?: Date,
  ): Promise<BackupInfo>;
  /** The owner's backups, newest first. */
  list(owner: BackupOwner): Promise<BackupInfo[]>;
  open(backup: BackupInfo): Promise<Readable>;
  delete(backup: BackupInfo): Promise<void>;
}

const ID = /^(\d{8}T\d{9}Z)-[0-9a-f]{4}$/;
const SEGMENT = /^[a-z0-9][a-z0-9_-]*$/i;

/** A backup id, as a JSON Schema pattern. */
export const BACKUP_ID_PATTERN = ID.source;

/** Whether a string is a backup id (and so safe as a file name). */
const isBackupId = (id: string) => ID.test(id);

function idFor(date: Date): string {
  const stamp = date.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

function timeOf(id: string): string {
  const s = ID.exec(id)![1];
  return new Date(
    `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(
      9,
      11,
    )}:${s.slice(11, 13)}:${s.slice(13, 15)}.${s.slice(15, 18)}Z`,
  ).toISOString();
}

const pick = ({ target, database, requestId }: BackupOwner): BackupOwner => ({
  target,
  database,
  requestId,
});

/**
 * Backups as files `<path>/<target>/<database>/<request id>/<backup id>.dump`, written
 * to a `.partial` file first and renamed when complete.
 *
 * @public
 */
export class FolderBackupStore implements BackupStore {
  private readonly root: string;

  constructor(path: string) {
    this.root = resolve(path);
  }

  private folder(owner: BackupOwner): string {
    for (const segment of [owner.target, owner.database, owner.requestId]) {
      if (!SEGMENT.test(segment)) {
        throw new Error(`'${segment}' cannot be part of a backup path`);
      }
    }
    return join(this.root, owner.target, owner.database, owner.requestId);
  }

  private file(backup: BackupInfo): string {
    if (!isBackupId(backup.id)) {
      throw new Error(`'${backup.id}' is not a backup id`);
    }
    return join(this.folder(backup), `${backup.id}.dump`);
  }

  async put(
    owner: BackupOwner,
    data: Readable,
    createdAt: Date = new Date(),
  ): Promise<BackupInfo> {
    const folder = this.folder(owner);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const id = idFor(createdAt);
    const file = join(folder, `${id}.dump`);
    const partial = `${file}.partial`;
    try {
      await pipeline(data, createWriteStream(partial, { mode: 0o600 }));
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    const { size } = await stat(file);
    return {
      ...pick(owner),
      id,
      createdAt: timeOf(id),
      sizeBytes: size,
    };
  }

  async list(owner: BackupOwner): Promise<BackupInfo[]> {
    const folder = this.folder(owner);
    const names = await readdir(folder).catch(error => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const ids = names
      .filter(name => name.endsWith('.dump'))
      .map(name => name.slice(0, -'.dump'.length))
      .filter(isBackupId)
      .sort()
      .reverse();
    return Promise.all(
      ids.map(async id => ({
        ...pick(owner),
        id,
        createdAt: timeOf(id),
        sizeBytes: (await stat(join(folder, `${id}.dump`))).size,
      })),
    );
  }

  async open(backup: BackupInfo): Promise<Readable> {
    const file = this.file(backup);
    await stat(file);
    return createReadStream(file);
  }

  async delete(backup: BackupInfo): Promise<void> {
    await rm(this.file(backup), { force: true });
  }
}

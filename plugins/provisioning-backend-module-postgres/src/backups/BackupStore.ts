import { Readable } from 'node:stream';
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
 * Where backups are kept: a folder (`FolderBackupStore`) or an S3 bucket
 * (`S3BackupStore`). Both lay backups out as
 * `<target>/<database>/<request id>/<backup id>.dump` and read a backup's time from
 * its id, so that retention and restores do not depend on the store.
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

/** The file (or object) name suffix of a backup. */
export const DUMP_SUFFIX = '.dump';

/** A backup id, as a JSON Schema pattern. */
export const BACKUP_ID_PATTERN = ID.source;

/** Whether a string is a backup id (and so safe as a file or object name). */
export const isBackupId = (id: string) => ID.test(id);

/** A new backup id for a backup made at `date`. */
export function newBackupId(date: Date): string {
  const stamp = date.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** When the backup with this id was made (ISO 8601). */
export function backupTime(id: string): string {
  const s = ID.exec(id)![1];
  return new Date(
    `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(
      9,
      11,
    )}:${s.slice(11, 13)}:${s.slice(13, 15)}.${s.slice(15, 18)}Z`,
  ).toISOString();
}

/**
 * The path segments of an owner's backups; they are checked because they become
 * part of a path or an object key.
 */
export function ownerSegments(owner: BackupOwner): string[] {
  const segments = [owner.target, owner.database, owner.requestId];
  for (const segment of segments) {
    if (!SEGMENT.test(segment)) {
      throw new Error(`'${segment}' cannot be part of a backup path`);
    }
  }
  return segments;
}

/** The backup's id, checked because it becomes a file name or object key. */
export function checkedBackupId(backup: BackupInfo): string {
  if (!isBackupId(backup.id)) {
    throw new Error(`'${backup.id}' is not a backup id`);
  }
  return backup.id;
}

/** A backup's info from its owner, id and size. */
export function backupInfo(
  { target, database, requestId }: BackupOwner,
  id: string,
  sizeBytes: number,
): BackupInfo {
  return {
    target,
    database,
    requestId,
    id,
    createdAt: backupTime(id),
    sizeBytes,
  };
}

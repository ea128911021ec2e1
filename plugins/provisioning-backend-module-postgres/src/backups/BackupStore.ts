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

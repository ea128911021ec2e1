import { BackupOwner, isBackupId } from './BackupStore';

/*
 * Where a backup lives in a store, the same in a folder and in a bucket:
 * `<target>/<database>/<request id>/<backup id>.dump` below the store's root.
 */

const SEGMENT = /^[a-z0-9][a-z0-9_-]*$/i;

/** The file (or object) name suffix of a backup. */
const DUMP_SUFFIX = '.dump';

/**
 * The path segments of an owner's backups, `<target>/<database>/<request id>`, below a
 * store's root; they are checked because they become part of a path or an object key.
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

/**
 * The path segments of a backup below a store's root, the owner's and then its file
 * (or object) name, `<backup id>.dump`; all checked, as they become a path or key.
 */
export function backupSegments(backup: BackupOwner & { id: string }): string[] {
  const segments = ownerSegments(backup);
  if (!isBackupId(backup.id)) {
    throw new Error(`'${backup.id}' is not a backup id`);
  }
  return [...segments, `${backup.id}${DUMP_SUFFIX}`];
}

/**
 * The id of the backup a file (or object) name in an owner's folder is; undefined
 * for any other name, e.g. a `.partial` file of a backup being written.
 */
export function backupIdOf(name: string): string | undefined {
  const id = name.slice(0, -DUMP_SUFFIX.length);
  return name.endsWith(DUMP_SUFFIX) && isBackupId(id) ? id : undefined;
}

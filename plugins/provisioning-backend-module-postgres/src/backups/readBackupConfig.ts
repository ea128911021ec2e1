import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { FolderBackupStore } from './BackupStore';
import { BackupSettings, findPgTools } from './PostgresBackups';

const KEY = 'provisioning.postgres.backups';

/** `provisioning.postgres.backups`, validated; undefined when backups are off. */
export interface BackupConfig extends BackupSettings {
  frequency: HumanDuration;
}

/**
 * Reads the backup settings: a store (a folder today; object storage implements the
 * same BackupStore), how often, and what to keep. Errors name the key, so that the
 * backend does not start with a backup setup that cannot work.
 */
export function readBackupConfig(root: Config): BackupConfig | undefined {
  const config = root.getOptionalConfig(KEY);
  if (!config) {
    return undefined;
  }
  const type = config.getString('store.type');
  if (type !== 'folder') {
    throw new Error(
      `Invalid config: ${KEY}.store.type: '${type}' is not a backup store; use 'folder'`,
    );
  }
  const frequency = config.has('frequency')
    ? readDurationFromConfig(config, { key: 'frequency' })
    : { hours: 24 };
  const keep = config.getOptionalNumber('keep') ?? 7;
  if (!Number.isInteger(keep) || keep < 1) {
    throw new Error(
      `Invalid config: ${KEY}.keep: ${keep} must be a whole number of at least 1`,
    );
  }
  return {
    store: new FolderBackupStore(config.getString('store.path')),
    frequency,
    keep,
    maxAgeMs: config.has('maxAge')
      ? durationToMilliseconds(
          readDurationFromConfig(config, { key: 'maxAge' }),
        )
      : undefined,
    ...findPgTools({
      pgDumpPath: config.getOptionalString('pgDumpPath'),
      pgRestorePath: config.getOptionalString('pgRestorePath'),
    }),
  };
}

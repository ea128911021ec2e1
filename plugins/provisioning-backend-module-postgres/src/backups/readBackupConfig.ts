import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { BackupStore } from './BackupStore';
import { FolderBackupStore } from './FolderBackupStore';
import { BackupSettings, findPgTools } from './PostgresBackups';
import { S3BackupStore } from './S3BackupStore';

const KEY = 'provisioning.postgres.backups';
const STORE_TYPES = ['folder', 's3'];
/** S3's bucket naming rules (lowercase, 3 to 63 characters). */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PREFIX_SEGMENT = /^[A-Za-z0-9_.-]+$/;

/** `provisioning.postgres.backups`, validated; undefined when backups are off. */
export interface BackupConfig extends BackupSettings {
  frequency: HumanDuration;
}

function invalid(key: string, problem: string): Error {
  return new Error(`Invalid config: ${KEY}.${key}: ${problem}`);
}

function nonEmpty(config: Config, key: string): string {
  const value = config.getString(key);
  if (!value.trim()) {
    throw invalid(`store.${key}`, 'must not be empty');
  }
  return value;
}

/** An S3 bucket; the secret key is never part of an error. */
function readS3Store(config: Config): S3BackupStore {
  const endpoint = config.getOptionalString('endpoint');
  if (endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol)) {
      throw invalid(
        'store.endpoint',
        `'${endpoint}' is not an http(s) URL, e.g. 'https://s3.internal:9000'`,
      );
    }
  }
  const bucket = config.getString('bucket');
  if (!BUCKET.test(bucket) || bucket.includes('..')) {
    throw invalid(
      'store.bucket',
      `'${bucket}' is not an S3 bucket name (3 to 63 lowercase letters, digits, dots and dashes)`,
    );
  }
  const rawPrefix = config.getOptionalString('prefix') ?? '';
  const prefix = rawPrefix.replace(/^\/+|\/+$/g, '');
  if (
    prefix &&
    !prefix
      .split('/')
      .every(s => PREFIX_SEGMENT.test(s) && s !== '.' && s !== '..')
  ) {
    throw invalid(
      'store.prefix',
      `'${rawPrefix}' must be path segments of letters, digits, '.', '_' and '-', e.g. 'paved/backups'`,
    );
  }
  return new S3BackupStore({
    endpoint,
    region: nonEmpty(config, 'region'),
    bucket,
    prefix: prefix || undefined,
    // Servers other than AWS seldom have a DNS name per bucket.
    forcePathStyle:
      config.getOptionalBoolean('forcePathStyle') ?? endpoint !== undefined,
    accessKeyId: nonEmpty(config, 'accessKeyId'),
    secretAccessKey: nonEmpty(config, 'secretAccessKey'),
  });
}

function readStore(config: Config): BackupStore {
  const type = config.getString('type');
  switch (type) {
    case 'folder':
      return new FolderBackupStore(config.getString('path'));
    case 's3':
      return readS3Store(config);
    default:
      throw invalid(
        'store.type',
        `'${type}' is not a backup store; use ${STORE_TYPES.map(
          t => `'${t}'`,
        ).join(' or ')}`,
      );
  }
}

/**
 * Reads the backup settings: a store (a folder or an S3 bucket), how often, and what
 * to keep. Errors name the key, so that the backend does not start with a backup setup
 * that cannot work.
 */
export function readBackupConfig(root: Config): BackupConfig | undefined {
  const config = root.getOptionalConfig(KEY);
  if (!config) {
    return undefined;
  }
  const store = readStore(config.getConfig('store'));
  const frequency = config.has('frequency')
    ? readDurationFromConfig(config, { key: 'frequency' })
    : { hours: 24 };
  const keep = config.getOptionalNumber('keep') ?? 7;
  if (!Number.isInteger(keep) || keep < 1) {
    throw invalid('keep', `${keep} must be a whole number of at least 1`);
  }
  return {
    store,
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

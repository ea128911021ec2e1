import { ConfigReader } from '@backstage/config';
import { BackupInfo } from './BackupStore';
import { FolderBackupStore } from './FolderBackupStore';
import { readBackupConfig } from './readBackupConfig';
import { S3BackupStore } from './S3BackupStore';

const SECRET = 'sEcReT-kEy-0123456789';
const s3 = {
  type: 's3',
  endpoint: 'https://s3.internal:7070',
  region: 'us-east-1',
  bucket: 'paved-backups',
  accessKeyId: 'paved',
  secretAccessKey: SECRET,
};
const read = (store: object, more: object = {}) =>
  readBackupConfig(
    new ConfigReader({
      provisioning: { postgres: { backups: { store, ...more } } },
    }),
  );
const errorOf = (store: object) => {
  try {
    read(store);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('no error');
};
/** The whole message, as a pattern. */
const exactly = (message: string) =>
  new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
const backup: BackupInfo = {
  target: 'main',
  database: 'orders_db',
  requestId: 'r1',
  id: '20261120T100000250Z-1a2b',
  createdAt: '2026-11-20T10:00:00.250Z',
  sizeBytes: 1,
};

describe('readBackupConfig', () => {
  it('is off without the section, and keeps the folder store', () => {
    expect(readBackupConfig(new ConfigReader({}))).toBeUndefined();
    const config = read({ type: 'folder', path: '/tmp/backups' });
    expect(config?.store).toBeInstanceOf(FolderBackupStore);
    expect(config).toMatchObject({ frequency: { hours: 24 }, keep: 7 });
  });

  it('reads an s3 store, with its prefix trimmed of slashes', () => {
    const config = read({ ...s3, prefix: '/paved/backups/' }, { keep: 3 });
    expect(config?.store).toBeInstanceOf(S3BackupStore);
    expect(config?.keep).toBe(3);
    expect((config!.store as S3BackupStore).key(backup)).toBe(
      'paved/backups/main/orders_db/r1/20261120T100000250Z-1a2b.dump',
    );
    // AWS: no endpoint, no prefix.
    const aws = read({ ...s3, endpoint: undefined, prefix: undefined });
    expect((aws!.store as S3BackupStore).key(backup)).toBe(
      'main/orders_db/r1/20261120T100000250Z-1a2b.dump',
    );
  });

  it.each([
    [
      'an unknown type',
      { type: 'tape' },
      exactly(
        "Invalid config: provisioning.postgres.backups.store.type: 'tape' is not a backup store; use 'folder' or 's3'",
      ),
    ],
    [
      'a missing region',
      { ...s3, region: undefined },
      /'provisioning\.postgres\.backups\.store\.region'/,
    ],
    [
      'an empty region',
      { ...s3, region: ' ' },
      exactly(
        'Invalid config: provisioning.postgres.backups.store.region: must not be empty',
      ),
    ],
    [
      'a missing bucket',
      { ...s3, bucket: undefined },
      /'provisioning\.postgres\.backups\.store\.bucket'/,
    ],
    [
      'a bucket name S3 refuses',
      { ...s3, bucket: 'Paved_Backups' },
      exactly(
        "Invalid config: provisioning.postgres.backups.store.bucket: 'Paved_Backups' is not an S3 bucket name (3 to 63 lowercase letters, digits, dots and dashes)",
      ),
    ],
    [
      'an endpoint that is not a URL',
      { ...s3, endpoint: 's3.internal:7070' },
      exactly(
        "Invalid config: provisioning.postgres.backups.store.endpoint: 's3.internal:7070' is not an http(s) URL, e.g. 'https://s3.internal:9000'",
      ),
    ],
    [
      "a prefix with '..'",
      { ...s3, prefix: 'paved/../backups' },
      /^Invalid config: provisioning\.postgres\.backups\.store\.prefix: 'paved\/\.\.\/backups' must be path segments/,
    ],
    [
      "a prefix with '//'",
      { ...s3, prefix: 'a//b' },
      /store\.prefix: 'a\/\/b'/,
    ],
    [
      'a forcePathStyle that is not a boolean',
      { ...s3, forcePathStyle: 'sometimes' },
      /'provisioning\.postgres\.backups\.store\.forcePathStyle'/,
    ],
    [
      'a missing accessKeyId',
      { ...s3, accessKeyId: undefined },
      /'provisioning\.postgres\.backups\.store\.accessKeyId'/,
    ],
    [
      'a missing secretAccessKey',
      { ...s3, secretAccessKey: undefined },
      /'provisioning\.postgres\.backups\.store\.secretAccessKey'/,
    ],
    [
      'a secretAccessKey that is not a string',
      { ...s3, secretAccessKey: 42 },
      /'provisioning\.postgres\.backups\.store\.secretAccessKey'/,
    ],
  ])('refuses %s, naming the key', (_what, store, expected) => {
    const message = errorOf(store);
    expect(message).toMatch(expected);
    expect(message).not.toContain(SECRET);
  });
});

import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  paginateListObjectsV2,
  S3Client,
} from '@aws-sdk/client-s3';
import { requireTestS3 } from '@paved/test-utils';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupInfo, BackupStore } from '../backups/BackupStore';
import { FolderBackupStore } from '../backups/FolderBackupStore';
import { S3BackupStore, S3BackupStoreSettings } from '../backups/S3BackupStore';

/** The backup stores every store test runs against. */
export const BACKUP_STORE_TYPES = ['folder', 's3'] as const;

/** A backup store on a real folder or a real S3 server, and a look around it. */
export interface BackupStoreFixture {
  type: (typeof BACKUP_STORE_TYPES)[number];
  store: BackupStore;
  /** The s3 store's bucket. */
  bucket?: string;
  /** Creates the bucket (s3). */
  setUp(): Promise<void>;
  /** Removes the folder or the bucket with everything in it. */
  tearDown(): Promise<void>;
  /** A backup's bytes, read where the layout says they are, not through the store. */
  storedBytes(backup: BackupInfo): Promise<Buffer>;
  /** What a failed write may leave behind: partial files, multipart uploads. */
  leftovers(): Promise<string[]>;
}

/** The test S3 server's root account, for a bucket of this test's own. */
export function testS3Settings(
  bucket: string,
): Omit<S3BackupStoreSettings, 'prefix' | 'pageSize'> {
  const s3 = requireTestS3();
  return {
    endpoint: s3.endpoint,
    region: s3.region,
    bucket,
    forcePathStyle: true,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
  };
}

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, {
    recursive: true,
    withFileTypes: true,
  }).catch(() => []);
  return entries
    .filter(entry => entry.isFile())
    .map(entry => join(entry.parentPath, entry.name));
}

function folderFixture(): BackupStoreFixture {
  const folder = mkdtempSync(join(tmpdir(), 'paved-backups-'));
  return {
    type: 'folder',
    store: new FolderBackupStore(folder),
    async setUp() {},
    async tearDown() {
      rmSync(folder, { recursive: true, force: true });
    },
    async storedBytes(b) {
      return readFileSync(
        join(folder, b.target, b.database, b.requestId, `${b.id}.dump`),
      );
    },
    async leftovers() {
      return (await filesUnder(folder)).filter(f => !f.endsWith('.dump'));
    },
  };
}

/** Every key in the bucket. */
async function keysOf(client: S3Client, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2(
    { client },
    { Bucket: bucket },
  )) {
    keys.push(...(page.Contents ?? []).map(object => object.Key!));
  }
  return keys;
}

async function uploadsOf(client: S3Client, bucket: string) {
  return (
    (await client.send(new ListMultipartUploadsCommand({ Bucket: bucket })))
      .Uploads ?? []
  );
}

function s3Fixture(options: { pageSize?: number }): BackupStoreFixture {
  const bucket = `paved-backups-test-${randomBytes(4).toString('hex')}`;
  const prefix = 'paved/backups';
  const settings = testS3Settings(bucket);
  const client = new S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: true,
    credentials: {
      accessKeyId: settings.accessKeyId,
      secretAccessKey: settings.secretAccessKey,
    },
  });
  const store = new S3BackupStore({
    ...settings,
    prefix,
    pageSize: options.pageSize,
  });
  return {
    type: 's3',
    store,
    bucket,
    async setUp() {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
    },
    async tearDown() {
      for (const upload of await uploadsOf(client, bucket)) {
        await client.send(
          new AbortMultipartUploadCommand({
            Bucket: bucket,
            Key: upload.Key!,
            UploadId: upload.UploadId!,
          }),
        );
      }
      const keys = await keysOf(client, bucket);
      for (let i = 0; i < keys.length; i += 1000) {
        await client.send(
          new DeleteObjectsCommand({
            Bucket: bucket,
            Delete: {
              Objects: keys.slice(i, i + 1000).map(Key => ({ Key })),
            },
          }),
        );
      }
      await client.send(new DeleteBucketCommand({ Bucket: bucket }));
      store.destroy();
      client.destroy();
    },
    async storedBytes(b) {
      const { Body } = await client.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: `${prefix}/${b.target}/${b.database}/${b.requestId}/${b.id}.dump`,
        }),
      );
      return Buffer.from(await Body!.transformToByteArray());
    },
    async leftovers() {
      const uploads = await uploadsOf(client, bucket);
      const keys = await keysOf(client, bucket);
      return [
        ...uploads.map(upload => `multipart upload of ${upload.Key}`),
        ...keys.filter(key => !key.endsWith('.dump')),
      ];
    },
  };
}

/**
 * A fixture of each store type: `describe.each(BACKUP_STORE_TYPES)` runs a store's
 * tests on both. `pageSize` makes the s3 store list in small pages.
 */
export function backupStoreFixture(
  type: BackupStoreFixture['type'],
  options: { pageSize?: number } = {},
): BackupStoreFixture {
  return type === 'folder' ? folderFixture() : s3Fixture(options);
}

import {
  DeleteObjectCommand,
  GetObjectCommand,
  paginateListObjectsV2,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { redactError } from '@paved/plugin-provisioning-node';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { backupIdOf, backupSegments, ownerSegments } from './backupPaths';
import {
  BackupInfo,
  backupInfo,
  BackupOwner,
  BackupStore,
  newBackupId,
} from './BackupStore';

/** Where an S3BackupStore keeps backups and how it reaches them. @public */
export interface S3BackupStoreSettings {
  /** An S3 API other than AWS's (Ceph, versitygw, ...); AWS's when absent. */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Prepended to every key, without leading or trailing slashes; none when absent. */
  prefix?: string;
  forcePathStyle?: boolean;
  accessKeyId: string;
  secretAccessKey: string;
  /** Keys per list request; S3's maximum (1000) when absent. */
  pageSize?: number;
}

/**
 * Backups as objects `<prefix>/<target>/<database>/<request id>/<backup id>.dump` in a
 * bucket, the folder store's layout. Like the folder store, a backup's time comes from
 * its id and its size from the listing, so no metadata is stored beside the dump.
 * Dumps are streamed: a multipart upload (5 MiB parts) when they are larger than a
 * part, which is aborted when the dump fails, so that nothing is kept.
 *
 * @public
 */
export class S3BackupStore implements BackupStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly pageSize?: number;
  private readonly secrets: string[];

  constructor(settings: S3BackupStoreSettings) {
    this.client = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      credentials: {
        accessKeyId: settings.accessKeyId,
        secretAccessKey: settings.secretAccessKey,
      },
    });
    this.bucket = settings.bucket;
    this.prefix = settings.prefix ? `${settings.prefix}/` : '';
    this.pageSize = settings.pageSize;
    this.secrets = [settings.secretAccessKey];
  }

  private folder(owner: BackupOwner): string {
    return `${this.prefix}${ownerSegments(owner).join('/')}/`;
  }

  /** The object key of a backup. */
  key(backup: BackupOwner & { id: string }): string {
    return `${this.prefix}${backupSegments(backup).join('/')}`;
  }

  /** S3's errors do not include the secret key; redacting makes sure none ever does. */
  private failure(error: unknown, what: string): Error {
    const redacted = redactError(error, this.secrets);
    redacted.message = `Could not ${what} in bucket '${this.bucket}': ${redacted.message}`;
    return redacted;
  }

  async put(
    owner: BackupOwner,
    data: Readable,
    createdAt: Date = new Date(),
  ): Promise<BackupInfo> {
    const id = newBackupId(createdAt);
    const key = this.key({ ...owner, id });
    let sizeBytes = 0;
    const body = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        sizeBytes += chunk.length;
        done(null, chunk);
      },
    });
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: 'application/octet-stream',
      },
      // At most 2 parts of 5 MiB in memory at a time.
      queueSize: 2,
    });
    // Whichever fails first is the cause: the dump (e.g. pg_dump's error, kept as it
    // is) or the upload, which then stops the dump (else it would wait on a full pipe).
    const seen: { first?: { from: 'dump' | 'upload'; error: unknown } } = {};
    data.once('error', error => {
      seen.first ??= { from: 'dump', error };
    });
    const uploaded = upload.done();
    uploaded.catch(error => {
      seen.first ??= { from: 'upload', error };
      body.destroy(error);
    });
    // Both settle before put does: a failed multipart upload is aborted by then.
    const results = await Promise.allSettled([uploaded, pipeline(data, body)]);
    const { first } = seen;
    if (first?.from === 'dump') {
      throw redactError(first.error, this.secrets);
    }
    const rejected = results.find(r => r.status === 'rejected');
    if (first || rejected) {
      throw this.failure(
        first?.error ?? (rejected as PromiseRejectedResult).reason,
        `store backup '${key}'`,
      );
    }
    return backupInfo(owner, id, sizeBytes);
  }

  async list(owner: BackupOwner): Promise<BackupInfo[]> {
    const folder = this.folder(owner);
    const backups: BackupInfo[] = [];
    try {
      const pages = paginateListObjectsV2(
        { client: this.client, pageSize: this.pageSize },
        { Bucket: this.bucket, Prefix: folder, Delimiter: '/' },
      );
      for await (const page of pages) {
        for (const object of page.Contents ?? []) {
          const id = backupIdOf(object.Key!.slice(folder.length));
          if (id) {
            backups.push(backupInfo(owner, id, object.Size ?? 0));
          }
        }
      }
    } catch (error) {
      throw this.failure(error, `list the backups under '${folder}'`);
    }
    // Newest first: ids sort by time.
    return backups.sort((a, b) => (a.id < b.id ? 1 : -1));
  }

  async open(backup: BackupInfo): Promise<Readable> {
    const key = this.key(backup);
    try {
      const { Body } = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key }),
      );
      if (!(Body instanceof Readable)) {
        throw new Error('the response has no stream');
      }
      return Body;
    } catch (error) {
      throw this.failure(error, `read backup '${key}'`);
    }
  }

  /** Deleting a backup that is not there succeeds, as S3's DeleteObject does. */
  async delete(backup: BackupInfo): Promise<void> {
    const key = this.key(backup);
    try {
      await this.client.send(
        new DeleteObjectCommand({ Bucket: this.bucket, Key: key }),
      );
    } catch (error) {
      throw this.failure(error, `delete backup '${key}'`);
    }
  }

  /** Closes the client's connections. */
  destroy(): void {
    this.client.destroy();
  }
}

import {
  BucketLocationConstraint,
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { NonRetryableError } from '@paved/plugin-provisioning-node';
import { s3ErrorCode } from './s3Client';

/** Bucket tags that say a bucket is the portal's, and in which state. */
export const TAGS = {
  requestId: 'paved.dev/request-id',
  deletedAt: 'paved.dev/deleted-at',
} as const;

/** A bucket's tags; `{}` when it has none. */
export type BucketTags = Record<string, string>;

/**
 * The bucket side of the `s3-bucket` type, as the portal's S3 identity: making a bucket
 * that belongs to a request (its `paved.dev/request-id` tag), versioning, tags. Nothing
 * is adopted: a bucket of that name that is not the request's is a NonRetryableError.
 */
export class S3Buckets {
  constructor(readonly s3: S3Client, private readonly region: string) {}

  /**
   * Makes `bucket` for request `requestId` unless it has it already. A bucket of the
   * name that another account owns, or that carries another request's tag, fails for
   * good. One the portal's identity owns with no tags and no objects is taken to be
   * the one an earlier attempt made and crashed before tagging (S3 cannot make a
   * bucket and tag it in one call). 'created' means this call made the bucket and its
   * only tag is now the request's. The tags are read even after a successful
   * CreateBucket: some S3 APIs (AWS in us-east-1, Ceph) answer 200 for a bucket the
   * caller owns already, e.g. one of a deleted request still in its retention.
   */
  async ensure(
    bucket: string,
    requestId: string,
    signal?: AbortSignal,
  ): Promise<'created' | 'exists'> {
    let created = true;
    try {
      await this.s3.send(
        new CreateBucketCommand({
          Bucket: bucket,
          // us-east-1 is S3's default and refuses to be named.
          ...(this.region === 'us-east-1'
            ? {}
            : {
                CreateBucketConfiguration: {
                  LocationConstraint: this.region as BucketLocationConstraint,
                },
              }),
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      const code = s3ErrorCode(error);
      if (code === 'BucketAlreadyExists') {
        throw taken(bucket, 'it belongs to another account of the S3 server');
      }
      if (code !== 'BucketAlreadyOwnedByYou') {
        throw error;
      }
      created = false;
    }
    const tags = await this.tags(bucket, signal);
    const owner = tags[TAGS.requestId];
    if (owner === requestId) {
      return 'exists';
    }
    if (owner) {
      throw taken(
        bucket,
        tags[TAGS.deletedAt]
          ? `a deleted request's bucket of that name is kept until its retention ends (deleted ${
              tags[TAGS.deletedAt]
            })`
          : 'another request of the portal has it',
      );
    }
    if (
      !created &&
      (Object.keys(tags).length > 0 || !(await this.isEmpty(bucket, signal)))
    ) {
      throw taken(bucket, 'a bucket of that name was made outside the portal');
    }
    await this.setTags(bucket, { [TAGS.requestId]: requestId }, signal);
    return created ? 'created' : 'exists';
  }

  /** The bucket's tags; `{}` when it has none. */
  async tags(bucket: string, signal?: AbortSignal): Promise<BucketTags> {
    try {
      const { TagSet } = await this.s3.send(
        new GetBucketTaggingCommand({ Bucket: bucket }),
        { abortSignal: signal },
      );
      return Object.fromEntries(
        (TagSet ?? []).map(tag => [tag.Key ?? '', tag.Value ?? '']),
      );
    } catch (error) {
      if (s3ErrorCode(error) === 'NoSuchTagSet') {
        return {};
      }
      throw error;
    }
  }

  /** Replaces the bucket's tags (S3 has no call that changes one). */
  async setTags(
    bucket: string,
    tags: BucketTags,
    signal?: AbortSignal,
  ): Promise<void> {
    await this.s3.send(
      new PutBucketTaggingCommand({
        Bucket: bucket,
        Tagging: {
          TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
        },
      }),
      { abortSignal: signal },
    );
  }

  /**
   * The request a bucket belongs to, and whether it was deleted; undefined when there
   * is no such bucket.
   */
  async stateOf(
    bucket: string,
    signal?: AbortSignal,
  ): Promise<BucketTags | undefined> {
    try {
      return await this.tags(bucket, signal);
    } catch (error) {
      if (s3ErrorCode(error) === 'NoSuchBucket') {
        return undefined;
      }
      throw error;
    }
  }

  /**
   * Turns versioning on, or suspends it (a bucket that never had it is left as it
   * is: S3 cannot turn versioning off, only suspend it).
   */
  async setVersioning(
    bucket: string,
    enabled: boolean,
    signal?: AbortSignal,
  ): Promise<'enabled' | 'suspended' | 'unchanged'> {
    const { Status } = await this.s3.send(
      new GetBucketVersioningCommand({ Bucket: bucket }),
      { abortSignal: signal },
    );
    if (enabled === (Status === 'Enabled') || (!enabled && !Status)) {
      return 'unchanged';
    }
    try {
      await this.s3.send(
        new PutBucketVersioningCommand({
          Bucket: bucket,
          VersioningConfiguration: {
            Status: enabled ? 'Enabled' : 'Suspended',
          },
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      if (s3ErrorCode(error) === 'VersioningNotConfigured') {
        throw new NonRetryableError(
          'parameters.versioning: the S3 server does not keep object versions (versitygw needs --versioning-dir); ask the platform team, or request the bucket without versioning',
        );
      }
      throw error;
    }
    return enabled ? 'enabled' : 'suspended';
  }

  /**
   * The buckets whose names start with `prefix` that belong to a request of the portal
   * (tagged with its id), with their tags. A bucket that vanishes meanwhile is skipped.
   */
  async listPortalBuckets(
    prefix: string,
    signal?: AbortSignal,
  ): Promise<Array<{ bucket: string; tags: BucketTags }>> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const listed = await this.s3.send(
        new ListBucketsCommand({
          ...(prefix ? { Prefix: prefix } : {}),
          ContinuationToken: token,
        }),
        { abortSignal: signal },
      );
      names.push(...(listed.Buckets ?? []).map(b => b.Name ?? ''));
      token = listed.ContinuationToken;
    } while (token);
    const found: Array<{ bucket: string; tags: BucketTags }> = [];
    for (const bucket of names.filter(name => name.startsWith(prefix))) {
      const tags = await this.stateOf(bucket, signal);
      if (tags?.[TAGS.requestId]) {
        found.push({ bucket, tags });
      }
    }
    return found;
  }

  /** Deletes an empty bucket; succeeds when it is gone. */
  async delete(bucket: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.s3.send(new DeleteBucketCommand({ Bucket: bucket }), {
        abortSignal: signal,
      });
    } catch (error) {
      if (s3ErrorCode(error) !== 'NoSuchBucket') {
        throw error;
      }
    }
  }

  private async isEmpty(bucket: string, signal?: AbortSignal) {
    const { KeyCount } = await this.s3.send(
      new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }),
      { abortSignal: signal },
    );
    return !KeyCount;
  }
}

/** The request's name is a bucket someone else has: retrying cannot help. */
function taken(bucket: string, why: string): NonRetryableError {
  return new NonRetryableError(
    `name: bucket '${bucket}' is taken on the S3 server: ${why}; request it under another name`,
  );
}

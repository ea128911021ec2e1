import {
  DeleteBucketLifecycleCommand,
  ListObjectsV2Command,
  PutBucketLifecycleConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { s3ErrorCode } from './s3Client';
import { deleteObjectKeys } from './bucketContents';
import { BucketTags, S3Buckets } from './S3Buckets';

/*
 * A request's expiry rule: objects under a prefix are deleted some days after they
 * were written. Set as an S3 lifecycle rule where the server has lifecycle
 * configuration; servers that answer NotImplemented (versitygw) get the rule as bucket
 * tags instead, and the module's expiry task (hourly, one replica) deletes what is due.
 */

/** The `expiry` parameter of an `s3-bucket` request. */
export type ExpiryRule = {
  /** Objects whose keys start with it; '' for all. */
  prefix: string;
  days: number;
};

/** Bucket tags of a rule the portal enforces itself. */
export const EXPIRY_TAGS = {
  days: 'paved.dev/expire-days',
  prefix: 'paved.dev/expire-prefix',
} as const;

/** Who enforces a bucket's rule: S3's lifecycle, or the module's task. */
export type ExpiryEnforcer = 'lifecycle' | 'portal';

const RULE_ID = 'paved-expiry';

/**
 * Sets (or with `rule` undefined, removes) the bucket's expiry rule; returns who
 * enforces it. `newBucketTags` are the tags of a bucket the caller has just made
 * (`S3Buckets.ensure` said 'created'): it has no lifecycle rules and no other tags,
 * so neither is read nor removed. Any other bucket (a resumed run's) may have a rule
 * or tags set half-way: they are read and put right.
 */
export async function applyExpiry(
  buckets: S3Buckets,
  bucket: string,
  rule: ExpiryRule | undefined,
  signal?: AbortSignal,
  newBucketTags?: BucketTags,
): Promise<ExpiryEnforcer | 'none'> {
  if (!rule && newBucketTags) {
    return 'none';
  }
  const { s3 } = buckets;
  let native = true;
  try {
    if (rule) {
      await s3.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: bucket,
          LifecycleConfiguration: {
            Rules: [
              {
                ID: RULE_ID,
                Status: 'Enabled',
                Filter: { Prefix: rule.prefix },
                Expiration: { Days: rule.days },
              },
            ],
          },
        }),
        { abortSignal: signal },
      );
    } else {
      await s3.send(new DeleteBucketLifecycleCommand({ Bucket: bucket }), {
        abortSignal: signal,
      });
    }
  } catch (error) {
    const code = s3ErrorCode(error);
    if (code !== 'NotImplemented' && code !== 'NoSuchLifecycleConfiguration') {
      throw error;
    }
    native = code !== 'NotImplemented';
  }
  const tags = newBucketTags ?? (await buckets.tags(bucket, signal));
  const wanted = { ...tags };
  delete wanted[EXPIRY_TAGS.days];
  delete wanted[EXPIRY_TAGS.prefix];
  if (rule && !native) {
    wanted[EXPIRY_TAGS.days] = String(rule.days);
    wanted[EXPIRY_TAGS.prefix] = rule.prefix;
  }
  if (JSON.stringify(wanted) !== JSON.stringify(tags)) {
    await buckets.setTags(bucket, wanted, signal);
  }
  if (!rule) {
    return 'none';
  }
  return native ? 'lifecycle' : 'portal';
}

/** The rule the portal enforces on a bucket, from its tags; undefined if none. */
export function portalExpiryOf(
  tags: Record<string, string>,
): ExpiryRule | undefined {
  const days = Number(tags[EXPIRY_TAGS.days]);
  if (!Number.isInteger(days) || days < 1) {
    return undefined;
  }
  return { days, prefix: tags[EXPIRY_TAGS.prefix] ?? '' };
}

/**
 * Deletes the objects of `bucket` under the rule's prefix last written before
 * `now - days`, at most `maxPages` listings of 1000 per run. Returns how many.
 */
export async function expireObjects(
  s3: S3Client,
  bucket: string,
  rule: ExpiryRule,
  options: { now: Date; maxPages: number; signal?: AbortSignal },
): Promise<number> {
  const cutoff = options.now.getTime() - rule.days * 24 * 60 * 60 * 1000;
  let token: string | undefined;
  let expired = 0;
  for (let page = 0; page < options.maxPages; page++) {
    options.signal?.throwIfAborted();
    const listed = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: rule.prefix || undefined,
        ContinuationToken: token,
      }),
      { abortSignal: options.signal },
    );
    const due = (listed.Contents ?? [])
      .filter(o => o.LastModified && o.LastModified.getTime() < cutoff)
      .map(o => ({ Key: o.Key! }));
    expired += await deleteObjectKeys(s3, bucket, due, options.signal);
    token = listed.IsTruncated ? listed.NextContinuationToken : undefined;
    if (!token) {
      break;
    }
  }
  return expired;
}

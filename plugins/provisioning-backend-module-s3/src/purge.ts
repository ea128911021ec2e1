import { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import { deleteAllObjects } from './bucketContents';
import { S3Buckets, TAGS } from './S3Buckets';

/**
 * Empties and deletes the buckets of deleted `s3-bucket` requests (tagged
 * `paved.dev/deleted-at`) once they have been kept for the retention. A bucket that
 * fails is logged and skipped; the next run tries again. Returns the buckets deleted.
 *
 * @public
 */
export async function purgeDeletedBuckets(options: {
  buckets: S3Buckets;
  /** Only buckets whose names start with it (the configured bucket prefix). */
  prefix: string;
  retentionMs: number;
  logger: LoggerService;
  now?: Date;
  signal?: AbortSignal;
}): Promise<string[]> {
  const { buckets, logger, signal } = options;
  const olderThan = (options.now ?? new Date()).getTime() - options.retentionMs;
  const purged: string[] = [];
  for (const { bucket, tags } of await buckets.listPortalBuckets(
    options.prefix,
    signal,
  )) {
    const deletedAt = Date.parse(tags[TAGS.deletedAt] ?? '');
    if (!(deletedAt <= olderThan)) {
      continue;
    }
    try {
      const objects = await deleteAllObjects(buckets.s3, bucket, signal);
      await buckets.delete(bucket, signal);
      logger.info(
        `Deleted bucket '${bucket}' and its ${objects} object(s) and version(s): its request was deleted at ${
          tags[TAGS.deletedAt]
        }, before the retention`,
      );
      purged.push(bucket);
    } catch (error) {
      signal?.throwIfAborted();
      logger.warn(
        `Could not delete deleted bucket '${bucket}': ${stringifyError(error)}`,
      );
    }
  }
  return purged;
}

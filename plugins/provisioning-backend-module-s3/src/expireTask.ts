import { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import { expireObjects, portalExpiryOf } from './expiry';
import { S3Buckets, TAGS } from './S3Buckets';

/** Listings of 1000 one run reads per bucket; the next run carries on. */
const MAX_PAGES_PER_RUN = 50;

/**
 * Deletes the objects that are due under the expiry rules the portal enforces itself
 * (on servers without lifecycle rules), in every live bucket of the portal. A bucket
 * that fails is logged and skipped. Returns how many objects it deleted.
 *
 * @public
 */
export async function expireDueObjects(options: {
  buckets: S3Buckets;
  prefix: string;
  logger: LoggerService;
  now?: Date;
  signal?: AbortSignal;
}): Promise<number> {
  const { buckets, logger, signal } = options;
  let expired = 0;
  for (const { bucket, tags } of await buckets.listPortalBuckets(
    options.prefix,
    signal,
  )) {
    const rule = portalExpiryOf(tags);
    if (!rule || tags[TAGS.deletedAt]) {
      continue;
    }
    try {
      const count = await expireObjects(buckets.s3, bucket, rule, {
        now: options.now ?? new Date(),
        maxPages: MAX_PAGES_PER_RUN,
        signal,
      });
      if (count > 0) {
        logger.info(
          `Expired ${count} object(s) under '${rule.prefix}' of bucket '${bucket}' (older than ${rule.days} day(s))`,
        );
      }
      expired += count;
    } catch (error) {
      signal?.throwIfAborted();
      logger.warn(
        `Could not expire objects of bucket '${bucket}': ${stringifyError(
          error,
        )}`,
      );
    }
  }
  return expired;
}

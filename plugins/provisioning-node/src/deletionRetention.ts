import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/**
 * How long a deleted resource is kept before it is purged (`deletionRetention` of a
 * module's config section), in milliseconds; 7 days when absent. Throws an error
 * naming the key when it is negative, so that the backend does not start with it.
 *
 * @param config - the module's section, e.g. `provisioning.s3`
 * @param key - the section's full key, for the error
 * @public
 */
export function readDeletionRetention(config: Config, key: string): number {
  const retentionMs = config.has('deletionRetention')
    ? durationToMilliseconds(
        readDurationFromConfig(config, { key: 'deletionRetention' }),
      )
    : durationToMilliseconds({ days: 7 });
  if (!(retentionMs >= 0)) {
    throw new Error(
      `Invalid config: ${key}.deletionRetention: must not be negative`,
    );
  }
  return retentionMs;
}

import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { readSchedule } from '@paved/backend-plugin-utils';
import { loadCheckedKubeConfig } from '@paved/kubernetes-access';
import {
  provisioningResourceTypesExtensionPoint,
  SecretWriter,
} from '@paved/plugin-provisioning-node';
import { BucketPolicies } from './accessKeys/BucketPolicies';
import { VersitygwAccessKeys } from './accessKeys/VersitygwAccessKeys';
import { VersitygwAdminClient } from './accessKeys/VersitygwAdminClient';
import { createBucketResourceType } from './bucketResourceType';
import { readS3Config, S3ModuleConfig } from './config';
import { expireDueObjects } from './expireTask';
import { purgeDeletedBuckets } from './purge';
import { createBucketReadAccessResourceType } from './readAccess';
import { createS3Client } from './s3Client';
import { S3Buckets } from './S3Buckets';

/** The scheduled task that deletes deleted buckets after the retention. */
export const PURGE_TASK_ID = 'provisioning-s3-purge';

/** The scheduled task that deletes expired objects where S3 has no lifecycle rules. */
export const EXPIRE_TASK_ID = 'provisioning-s3-expire';

/** The S3 side of the module: the buckets and the keys, as the configured identity. */
export function createS3Services(config: S3ModuleConfig) {
  const s3 = createS3Client(config);
  const buckets = new S3Buckets(s3, config.region);
  const keys = new VersitygwAccessKeys(
    new VersitygwAdminClient({
      endpoint: config.accessKeys.adminEndpoint,
      region: config.region,
      accessKeyId: config.accessKeyId,
      secretAccessKey: config.secretAccessKey,
    }),
    new BucketPolicies(s3),
  );
  return { s3, buckets, keys };
}

/**
 * The `s3-bucket` and `s3-bucket-read-access` resource types of the provisioning
 * plugin, configured under `provisioning.s3`, an hourly purge of deleted buckets and
 * an hourly expiry of objects where the S3 server has no lifecycle rules.
 *
 * @public
 */
export const provisioningModuleS3 = createBackendModule({
  pluginId: 'provisioning',
  moduleId: 's3',
  register(reg) {
    reg.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        scheduler: coreServices.scheduler,
        types: provisioningResourceTypesExtensionPoint,
      },
      async init({ config, logger, scheduler, types }) {
        const settings = readS3Config(config);
        if (!settings) {
          logger.warn(
            'The s3-bucket resource type is off: there is no provisioning.s3 section in the config',
          );
          return;
        }
        const { buckets, keys } = createS3Services(settings);
        const secrets = new SecretWriter(
          loadCheckedKubeConfig(
            settings.kubernetes,
            'provisioning.s3.kubernetes',
          ),
        );
        types.addResourceType(
          createBucketResourceType({
            config: settings,
            buckets,
            keys,
            secrets,
          }),
        );
        types.addResourceType(
          createBucketReadAccessResourceType({
            buckets,
            keys,
            secrets,
            endpoint: {
              endpoint: settings.publicEndpoint,
              region: settings.region,
              forcePathStyle: settings.forcePathStyle,
            },
          }),
        );
        await scheduler.scheduleTask({
          id: PURGE_TASK_ID,
          // One replica purges; a delete must not race another.
          scope: 'global',
          ...readSchedule(config, 'provisioning.s3.purgeSchedule', {
            frequency: { hours: 1 },
            timeout: { minutes: 30 },
            initialDelay: { minutes: 5 },
          }),
          fn: async signal => {
            await purgeDeletedBuckets({
              buckets,
              prefix: settings.bucketPrefix,
              retentionMs: settings.deletionRetentionMs,
              logger,
              signal,
            });
          },
        });
        await scheduler.scheduleTask({
          id: EXPIRE_TASK_ID,
          scope: 'global',
          ...readSchedule(config, 'provisioning.s3.expirySchedule', {
            frequency: { hours: 1 },
            timeout: { minutes: 30 },
            initialDelay: { minutes: 7 },
          }),
          fn: async signal => {
            await expireDueObjects({
              buckets,
              prefix: settings.bucketPrefix,
              logger,
              signal,
            });
          },
        });
        logger.info(
          `The s3-bucket resource type makes buckets on ${settings.endpoint} (access keys: ${settings.accessKeys.type})`,
        );
      },
    });
  },
});

import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { readSchedule } from '@paved/backend-plugin-utils';
import {
  PrometheusRuleWriter,
  provisioningResourceTypesExtensionPoint,
  SecretWriter,
} from '@paved/plugin-provisioning-node';
import { durationToMilliseconds } from '@backstage/types';
import { readDurationFromConfig } from '@backstage/config';
import { metrics } from '@opentelemetry/api';
import { readFileSync } from 'node:fs';
import { loadCheckedKubeConfig } from '@paved/kubernetes-access';
import { PostgresModuleConfig, readPostgresConfig } from './config';
import { backUpAll } from './backups/backupActions';
import {
  DatabaseOwners,
  METER_NAME,
  observeLastBackups,
} from './backups/backupMetrics';
import { PostgresBackups } from './backups/PostgresBackups';
import { readBackupConfig } from './backups/readBackupConfig';
import { PostgresAdmin } from './PostgresAdmin';
import { createPostgresResourceType } from './postgresResourceType';
import { purgeDeletedDatabases } from './purge';
import { createPostgresReadAccessResourceType } from './readAccess';

/** The scheduled task that backs up every live database. */
export const BACKUP_TASK_ID = 'provisioning-postgres-backup';

/** The scheduled task that drops deleted databases after the retention. */
export const PURGE_TASK_ID = 'provisioning-postgres-purge';

function readFile(path: string, key: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(
      `Invalid config: provisioning.postgres.${key}: cannot read '${path}': ${
        (error as Error).message
      }`,
    );
  }
}

function createAdmins(config: PostgresModuleConfig) {
  return new Map(
    config.targets.map((target, index) => [
      target.id,
      new PostgresAdmin(
        target,
        target.caFile
          ? readFile(target.caFile, `targets[${index}].caFile`)
          : undefined,
      ),
    ]),
  );
}

function loadKubernetes(config: PostgresModuleConfig) {
  return loadCheckedKubeConfig(
    config.kubernetes,
    'provisioning.postgres.kubernetes',
  );
}

/**
 * The `postgres` and `postgres-read-access` resource types of the provisioning plugin,
 * configured under `provisioning.postgres`, scheduled backups with their metric, and an
 * hourly purge of deleted databases.
 *
 * @public
 */
export const provisioningModulePostgres = createBackendModule({
  pluginId: 'provisioning',
  moduleId: 'postgres',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        types: provisioningResourceTypesExtensionPoint,
      },
      async init({ config, logger, scheduler, types }) {
        const settings = readPostgresConfig(config);
        if (!settings) {
          logger.warn(
            'The postgres resource type is off: there is no provisioning.postgres section in the config',
          );
          return;
        }
        const admins = createAdmins(settings);
        const backupConfig = readBackupConfig(config);
        const backups = backupConfig && new PostgresBackups(backupConfig);
        const kubeConfig = loadKubernetes(settings);
        const secrets = new SecretWriter(kubeConfig);
        const owners = new DatabaseOwners();
        types.addResourceType(
          createPostgresResourceType({
            config: settings,
            admins,
            secrets,
            alerts: new PrometheusRuleWriter(kubeConfig),
            backups,
            backupIntervalMs:
              backupConfig && durationToMilliseconds(backupConfig.frequency),
            appBaseUrl: config.getOptionalString('app.baseUrl'),
            owners,
          }),
        );
        types.addResourceType(
          createPostgresReadAccessResourceType({ admins, secrets }),
        );
        if (backups && backupConfig) {
          observeLastBackups({
            meter: metrics.getMeter(METER_NAME),
            store: backups.store,
            admins: [...admins.values()],
            owners,
            onError: (target, error) =>
              logger.warn(
                `Could not list the databases of target '${target}' for the backup metric: ${
                  (error as Error).message
                }`,
              ),
          });
          await scheduler.scheduleTask({
            id: BACKUP_TASK_ID,
            // One replica backs up each database once per run.
            scope: 'global',
            frequency: backupConfig.frequency,
            timeout: { hours: 6 },
            initialDelay: config.has(
              'provisioning.postgres.backups.initialDelay',
            )
              ? readDurationFromConfig(config, {
                  key: 'provisioning.postgres.backups.initialDelay',
                })
              : { minutes: 10 },
            fn: async signal => {
              const made = await backUpAll({
                backups,
                admins: admins.values(),
                signal,
                onError: (database, error) =>
                  logger.error(
                    `Backup of database '${database}' failed: ${
                      (error as Error).message
                    }`,
                  ),
              });
              logger.info(`Scheduled backups: ${made} database(s) backed up`);
            },
          });
        } else {
          logger.info(
            'Database backups are off: there is no provisioning.postgres.backups section',
          );
        }
        await scheduler.scheduleTask({
          id: PURGE_TASK_ID,
          // One replica purges; a drop must not race another.
          scope: 'global',
          ...readSchedule(config, 'provisioning.postgres.purgeSchedule', {
            frequency: { hours: 1 },
            timeout: { minutes: 30 },
            initialDelay: { minutes: 5 },
          }),
          fn: async () => {
            await purgeDeletedDatabases({
              admins: admins.values(),
              retentionMs: settings.deletionRetentionMs,
              logger,
            });
          },
        });
        logger.info(
          `The postgres resource type offers ${
            settings.targets.length
          } target(s): ${settings.targets.map(target => target.id).join(', ')}`,
        );
      },
    });
  },
});

import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { TechDocsPrebuilder } from './TechDocsPrebuilder';

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 15 },
  timeout: { minutes: 10 },
  // Long enough for the catalog to ingest local files on a fresh start.
  initialDelay: { seconds: 20 },
};

/** The search plugin's task that indexes TechDocs (see IndexBuilder). */
const TECHDOCS_INDEX_TASK_ID = 'search_index_techdocs';

/**
 * Prebuilds TechDocs on a schedule and then re-indexes them, so that docs are
 * searchable before anyone opens them. A module of the search plugin because it
 * feeds search, and so that it may trigger the search plugin's own index task.
 *
 * Config: `paved.techdocs.prebuild.enabled` (default true) and
 * `paved.techdocs.prebuild.schedule`.
 */
export const searchModuleTechdocsPrebuild = createBackendModule({
  pluginId: 'search',
  moduleId: 'techdocs-prebuild',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        catalog: catalogServiceRef,
      },
      async init({ config, logger, scheduler, auth, discovery, catalog }) {
        const prebuildConfig = config.getOptionalConfig(
          'paved.techdocs.prebuild',
        );
        if (prebuildConfig?.getOptionalBoolean('enabled') === false) {
          logger.info('TechDocs prebuild is disabled by config');
          return;
        }
        const schedule = prebuildConfig?.has('schedule')
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
              prebuildConfig.getConfig('schedule'),
            )
          : DEFAULT_SCHEDULE;
        const prebuilder = new TechDocsPrebuilder({
          catalog,
          auth,
          discovery,
          logger,
        });
        await scheduler.scheduleTask({
          id: 'techdocs-prebuild',
          scope: 'global',
          ...schedule,
          fn: async () => {
            const summary = await prebuilder.run();
            logger.info(
              `TechDocs prebuild: ${summary.entities} entities with docs, ` +
                `${summary.updated.length} built, ${summary.upToDate.length} up to date, ` +
                `${summary.failed.length} failed`,
            );
            if (summary.updated.length > 0) {
              await scheduler.triggerTask(TECHDOCS_INDEX_TASK_ID).catch(error =>
                // A run already under way will pick the new docs up anyway.
                logger.info(`Search re-index not triggered: ${error.message}`),
              );
            }
          },
        });
      },
    });
  },
});

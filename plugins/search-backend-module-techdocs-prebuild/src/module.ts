import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { PrebuildSummary, TechDocsPrebuilder } from './TechDocsPrebuilder';

const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 15 },
  timeout: { minutes: 10 },
  // Long enough for the catalog to ingest local files on a fresh start.
  initialDelay: { seconds: 20 },
};

const PREBUILD_TASK_ID = 'techdocs-prebuild';

/**
 * The search plugin's index tasks (IndexBuilder names them `search_index_<type>`).
 * Re-run after the first prebuild of a process: with the in-memory (Lunr) engine used
 * locally, the index is empty after every restart, while the tasks' schedule survives
 * in the database and may not come round for minutes.
 */
const TECHDOCS_INDEX_TASK = 'search_index_techdocs';
const CATALOG_INDEX_TASK = 'search_index_software_catalog';

/**
 * The index tasks to trigger after a prebuild: both until a run of this process has
 * found entities with docs (the in-memory index is empty after a start, and on a fresh
 * database the first runs may find the catalog still empty); after that, the TechDocs
 * index only when docs were built, and never the catalog's, which its own schedule
 * keeps: each catalog index run reads every entity, so triggering it at every prebuild
 * added a full re-index of a large catalog every 15 minutes.
 */
export function indexTasksAfter(
  summary: Pick<PrebuildSummary, 'updated'>,
  firstWithDocs: boolean,
): string[] {
  if (firstWithDocs) return [TECHDOCS_INDEX_TASK, CATALOG_INDEX_TASK];
  return summary.updated.length > 0 ? [TECHDOCS_INDEX_TASK] : [];
}

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
        lifecycle: coreServices.lifecycle,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        lifecycle,
        scheduler,
        auth,
        discovery,
        catalog,
      }) {
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
        let foundDocsInProcess = false;
        await scheduler.scheduleTask({
          id: PREBUILD_TASK_ID,
          scope: 'global',
          ...schedule,
          fn: async () => {
            const summary = await prebuilder.run();
            logger.info(
              `TechDocs prebuild: ${summary.entities} entities with docs, ` +
                `${summary.updated.length} built, ${summary.upToDate.length} up to date, ` +
                `${summary.failed.length} failed`,
            );
            const tasks = indexTasksAfter(summary, !foundDocsInProcess);
            foundDocsInProcess ||= summary.entities > 0;
            for (const taskId of tasks) {
              await scheduler.triggerTask(taskId).catch(error =>
                // A run already under way picks the new docs up anyway.
                logger.info(
                  `Search index ${taskId} not triggered: ${error.message}`,
                ),
              );
            }
          },
        });
        // Also at every start, not only when the persisted schedule says so (see
        // indexTasksAfter). On a fresh database the catalog may still be empty; the
        // scheduled first run (initialDelay) covers that case.
        lifecycle.addStartupHook(async () => {
          await scheduler
            .triggerTask(PREBUILD_TASK_ID)
            .catch(error =>
              logger.info(
                `TechDocs prebuild not triggered at start: ${error.message}`,
              ),
            );
        });
      },
    });
  },
});

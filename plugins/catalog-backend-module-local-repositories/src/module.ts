import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { LocalRepositories } from '@paved/plugin-local-repositories-node';
import { LocalRepositoriesEntityProvider } from './LocalRepositoriesEntityProvider';

/**
 * How often the checkouts folder is listed. A listing is one readdir, and a new
 * repository should be in the catalog within seconds of the golden path finishing.
 */
const REFRESH_FREQUENCY = { seconds: 3 };

export const REFRESH_TASK = 'paved-local-repositories-refresh';

/** Registers the portal's local repositories (the offline publish target) in the catalog. */
export const catalogModuleLocalRepositories = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'local-repositories',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        catalog: catalogProcessingExtensionPoint,
      },
      async init({ config, logger, scheduler, catalog }) {
        const provider = new LocalRepositoriesEntityProvider(
          LocalRepositories.fromConfig(config),
          logger,
          // Scheduled once the catalog has connected the provider.
          fn =>
            scheduler.scheduleTask({
              id: REFRESH_TASK,
              // Each backend instance reads its own disk.
              scope: 'local',
              frequency: REFRESH_FREQUENCY,
              timeout: { minutes: 1 },
              fn,
            }),
        );
        catalog.addEntityProvider(provider);
      },
    });
  },
});

import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { ProvisionedResourcesEntityProvider } from './ProvisionedResourcesEntityProvider';

export const REFRESH_TASK = 'paved-provisioned-resources-refresh';

/**
 * Catalog module: provisioned resources as `Resource` entities. Refreshed every few
 * seconds (one list call; the catalog only changes when a request did), so a new
 * database is in the catalog moments after it is requested.
 */
export const catalogModuleProvisioning = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'provisioning',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        catalog: catalogProcessingExtensionPoint,
      },
      async init({ config, logger, scheduler, discovery, auth, catalog }) {
        const provider = new ProvisionedResourcesEntityProvider({
          discovery,
          auth,
          logger,
          appBaseUrl: config.getString('app.baseUrl'),
          // Scheduled once the catalog has connected the provider.
          schedule: fn =>
            scheduler.scheduleTask({
              id: REFRESH_TASK,
              scope: 'global',
              frequency: { seconds: 5 },
              timeout: { minutes: 2 },
              fn,
            }),
        });
        catalog.addEntityProvider(provider);
      },
    });
  },
});

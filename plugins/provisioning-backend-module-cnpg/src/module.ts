import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { provisioningResourceTypesExtensionPoint } from '@paved/plugin-provisioning-node';
import { loadCheckedKubeConfig } from '@paved/kubernetes-access';
import { CnpgModuleConfig, readCnpgConfig } from './config';
import { createCnpgResourceType } from './cnpgResourceType';
import { CnpgClusters } from './kubernetes';

function createClusters(config: CnpgModuleConfig) {
  return new CnpgClusters(
    loadCheckedKubeConfig(config.kubernetes, 'provisioning.cnpg.kubernetes'),
  );
}

/**
 * The `postgres-dedicated` resource type of the provisioning plugin (a CloudNativePG
 * `Cluster`), configured under `provisioning.cnpg`.
 *
 * @public
 */
export const provisioningModuleCnpg = createBackendModule({
  pluginId: 'provisioning',
  moduleId: 'cnpg',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        types: provisioningResourceTypesExtensionPoint,
      },
      async init({ config, logger, types }) {
        const settings = readCnpgConfig(config);
        if (!settings) {
          logger.warn(
            'The postgres-dedicated resource type is off: there is no provisioning.cnpg section in the config',
          );
          return;
        }
        types.addResourceType(
          createCnpgResourceType({
            config: settings,
            clusters: createClusters(settings),
          }),
        );
        logger.info(
          `The postgres-dedicated resource type applies CloudNativePG Clusters (up to ${settings.maxStorageGi} GiB each)`,
        );
      },
    });
  },
});

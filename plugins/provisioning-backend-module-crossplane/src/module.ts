import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { provisioningResourceTypesExtensionPoint } from '@paved/plugin-provisioning-node';
import { loadCheckedKubeConfig } from '@paved/kubernetes-access';
import { readCrossplaneConfig } from './config';
import { registerOffers } from './registerOffers';
import { XrdReader } from './XrdReader';

/**
 * Crossplane v2 composite resources as resource types of the provisioning plugin:
 * one per offered XRD, configured under `provisioning.crossplane`.
 *
 * @public
 */
export const provisioningModuleCrossplane = createBackendModule({
  pluginId: 'provisioning',
  moduleId: 'crossplane',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        types: provisioningResourceTypesExtensionPoint,
      },
      async init({ config, logger, types }) {
        const settings = readCrossplaneConfig(config);
        if (!settings) {
          logger.info(
            'Crossplane composite resources are off: there is no provisioning.crossplane section in the config',
          );
          return;
        }
        const kubeConfig = loadCheckedKubeConfig(
          settings.kubernetes,
          'provisioning.crossplane.kubernetes',
        );
        await registerOffers({
          kubeConfig,
          reader: new XrdReader(kubeConfig),
          offer: settings.offer,
          logger,
          types,
        });
      },
    });
  },
});

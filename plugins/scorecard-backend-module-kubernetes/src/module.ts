import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scorecardFactProvidersExtensionPoint } from '@paved/plugin-scorecard-node';
import { readKubeConfig } from '@paved/kubernetes-access';
import { createKubernetesFactProvider } from './kubernetesFactProvider';

/**
 * Kubernetes facts for the scorecard (probes, limits, replicas). Off without a
 * `scorecard.kubernetes` section, so the default track's Kubernetes checks are too.
 *
 * @public
 */
export const scorecardModuleKubernetes = createBackendModule({
  pluginId: 'scorecard',
  moduleId: 'kubernetes',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        providers: scorecardFactProvidersExtensionPoint,
      },
      async init({ config, logger, providers }) {
        const section = config.getOptionalConfig('scorecard.kubernetes');
        if (!section && !process.env.KUBERNETES_SERVICE_HOST) {
          logger.info(
            'Scorecard Kubernetes facts are off: no scorecard.kubernetes config',
          );
          return;
        }
        providers.addFactProvider(
          createKubernetesFactProvider(
            readKubeConfig(config, 'scorecard.kubernetes'),
          ),
        );
      },
    });
  },
});

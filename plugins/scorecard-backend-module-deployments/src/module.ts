import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scorecardFactProvidersExtensionPoint } from '@paved/plugin-scorecard-node';
import { deploymentsFactProvider } from './deploymentsFactProvider';

/**
 * Delivery facts for the scorecard (change failure rate, deployment frequency) from
 * the deployments API. Off when that API is: without a `provisioning.score` section
 * (a portal without a cluster), unless `scorecard.deployments.enabled` says otherwise
 * (the API in another backend). When off, the default track leaves out its check on
 * the change failure rate, as it does the Kubernetes checks without a cluster, rather
 * than fail it for every component.
 *
 * @public
 */
export const scorecardModuleDeployments = createBackendModule({
  pluginId: 'scorecard',
  moduleId: 'deployments',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        providers: scorecardFactProvidersExtensionPoint,
      },
      async init({ config, logger, providers }) {
        const enabled =
          config.getOptionalBoolean('scorecard.deployments.enabled') ??
          config.has('provisioning.score');
        if (!enabled) {
          logger.info(
            'Scorecard delivery facts are off: the deployments API is (no provisioning.score config; scorecard.deployments.enabled turns them on)',
          );
          return;
        }
        providers.addFactProvider(deploymentsFactProvider);
      },
    });
  },
});

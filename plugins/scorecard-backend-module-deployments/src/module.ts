import { createBackendModule } from '@backstage/backend-plugin-api';
import { scorecardFactProvidersExtensionPoint } from '@paved/plugin-scorecard-node';
import { deploymentsFactProvider } from './deploymentsFactProvider';

/**
 * Delivery facts for the scorecard (change failure rate, deployment frequency) from
 * the deployments API. Without this module the default track leaves out the checks
 * on them.
 *
 * @public
 */
export const scorecardModuleDeployments = createBackendModule({
  pluginId: 'scorecard',
  moduleId: 'deployments',
  register(reg) {
    reg.registerInit({
      deps: { providers: scorecardFactProvidersExtensionPoint },
      async init({ providers }) {
        providers.addFactProvider(deploymentsFactProvider);
      },
    });
  },
});

import { createBackendModule } from '@backstage/backend-plugin-api';
import { scorecardFactProvidersExtensionPoint } from '@paved/plugin-scorecard-node';
import { createUpgradesFactProvider } from './upgradesFactProvider';

/**
 * Template-upgrade facts for the scorecard: a component's open upgrade change, which
 * the default track's "latest golden path version" check offers as its fix. Always
 * added; its facts are off by themselves while the upgrades plugin does not answer
 * (not installed, or in another backend that is down), so no config is needed.
 *
 * @public
 */
export const scorecardModuleUpgrades = createBackendModule({
  pluginId: 'scorecard',
  moduleId: 'upgrades',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: scorecardFactProvidersExtensionPoint,
      },
      async init({ providers }) {
        providers.addFactProvider(createUpgradesFactProvider());
      },
    });
  },
});

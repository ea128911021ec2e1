import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  FactProvider,
  scorecardFactProvidersExtensionPoint,
} from '@paved/plugin-scorecard-node';
import { scorecardModuleUpgrades } from './module';

describe('the scorecard upgrades module', () => {
  it('adds the upgrades fact provider without any config', async () => {
    const added: FactProvider[] = [];
    // A stand-in scorecard plugin that captures what modules add.
    const capture = createBackendPlugin({
      pluginId: 'scorecard',
      register(env) {
        env.registerExtensionPoint(scorecardFactProvidersExtensionPoint, {
          addFactProvider: (...p) => added.push(...p),
        });
        env.registerInit({ deps: {}, async init() {} });
      },
    });
    const backend = await startTestBackend({
      features: [
        capture,
        scorecardModuleUpgrades,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    await backend.stop();
    expect(added.map(p => p.id)).toEqual(['upgrades']);
    expect(added[0].facts.map(f => f.id)).toEqual(['upgrades.openChange']);
  });
});

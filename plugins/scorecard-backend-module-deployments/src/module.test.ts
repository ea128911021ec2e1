import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
  FactProvider,
  scorecardFactProvidersExtensionPoint,
} from '@paved/plugin-scorecard-node';
import { scorecardModuleDeployments } from './module';

describe('the scorecard deployments module', () => {
  it('adds the deployments fact provider to the scorecard', async () => {
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
      features: [capture, scorecardModuleDeployments],
    });
    await backend.stop();
    expect(added.map(p => p.id)).toEqual(['deployments']);
    expect(added[0].facts.map(f => f.id)).toEqual([
      'deployments.changeFailureRate',
      'deployments.productionDeployments',
      'deployments.perWeek',
    ]);
  });
});

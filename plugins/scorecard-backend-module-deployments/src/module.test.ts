import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  FactProvider,
  scorecardFactProvidersExtensionPoint,
} from '@paved/plugin-scorecard-node';
import { scorecardModuleDeployments } from './module';

type Config = NonNullable<
  Parameters<typeof mockServices.rootConfig.factory>[0]
>['data'];

describe('the scorecard deployments module', () => {
  /** The fact providers the module adds to a scorecard with `config`. */
  const providersWith = async (config: Config) => {
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
        scorecardModuleDeployments,
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    await backend.stop();
    return added;
  };

  it('adds the deployments fact provider when this backend serves the deployments API', async () => {
    const added = await providersWith({
      provisioning: { score: { sampleHistory: true } },
    });
    expect(added.map(p => p.id)).toEqual(['deployments']);
    expect(added[0].facts.map(f => f.id)).toEqual([
      'deployments.changeFailureRate',
      'deployments.productionDeployments',
      'deployments.perWeek',
    ]);
  });

  it('is off without the deployments API, so the scorecard leaves the delivery check out', async () => {
    expect(await providersWith({})).toEqual([]);
    expect(
      await providersWith({
        provisioning: { score: {} },
        scorecard: { deployments: { enabled: false } },
      }),
    ).toEqual([]);
  });

  it('is on for an API in another backend when the config says so', async () => {
    const added = await providersWith({
      scorecard: { deployments: { enabled: true } },
    });
    expect(added.map(p => p.id)).toEqual(['deployments']);
  });
});

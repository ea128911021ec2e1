import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AppsV1Api, V1Deployment } from '@kubernetes/client-node';
import {
  createTestNamespace,
  requireTestCluster,
  TestNamespace,
} from '@paved/kube-test-utils';
import {
  FactProvider,
  scorecardFactProvidersExtensionPoint,
} from '@paved/plugin-scorecard-node';
import { scorecardModuleKubernetes } from './module';

const component = (name: string, namespace: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-namespace': namespace },
  },
  spec: { type: 'service' },
});

const deployment = (
  name: string,
  id: string,
  options: { replicas: number; probes: boolean; limits: boolean },
): V1Deployment => ({
  metadata: { name, labels: { 'backstage.io/kubernetes-id': id } },
  spec: {
    replicas: options.replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'example.com/app:1',
            ...(options.probes && {
              readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
              livenessProbe: { httpGet: { path: '/live', port: 8080 } },
            }),
            ...(options.limits && {
              resources: { limits: { cpu: '500m', memory: '256Mi' } },
            }),
          },
        ],
      },
    },
  },
});

/** The module in a test backend, against the local Kubernetes test cluster. */
describe('the scorecard Kubernetes module', () => {
  const cluster = requireTestCluster();
  let ns: TestNamespace;

  beforeAll(async () => {
    ns = await createTestNamespace(cluster.kubeConfig, 'scorecard');
    const apps = cluster.kubeConfig.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: ns.name,
      body: deployment('orders', 'orders', {
        replicas: 2,
        probes: true,
        limits: true,
      }),
    });
    await apps.createNamespacedDeployment({
      namespace: ns.name,
      body: deployment('search', 'search', {
        replicas: 1,
        probes: false,
        limits: true,
      }),
    });
  });
  afterAll(() => ns?.cleanup());

  /** Starts the module with a stand-in scorecard plugin that captures providers. */
  async function providers(config: object) {
    const added: FactProvider[] = [];
    const capture = createBackendPlugin({
      pluginId: 'scorecard',
      register(env) {
        env.registerExtensionPoint(scorecardFactProvidersExtensionPoint, {
          addFactProvider: (...p) => added.push(...p),
        });
        env.registerInit({ deps: {}, async init() {} });
      },
    });
    await startTestBackend({
      features: [
        capture,
        scorecardModuleKubernetes,
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    return added;
  }

  it('is off without scorecard.kubernetes', async () => {
    expect(await providers({})).toEqual([]);
  });

  it("reads the components' Deployments: probes, limits and replicas", async () => {
    const [provider] = await providers({
      scorecard: {
        kubernetes: { kubeconfigPath: cluster.portalKubeconfigPath },
      },
    });
    expect(provider.id).toBe('kubernetes');
    const facts = await provider.retrieve(
      [
        component('orders', ns.name),
        component('search', ns.name),
        component('none', ns.name),
      ],
      {
        logger: mockServices.logger.mock(),
        lookup: { getByRefs: async () => new Map(), getByKind: async () => [] },
        getBaseUrl: async () => '',
        getPluginToken: async () => '',
      },
    );
    expect(Object.fromEntries(facts)).toEqual({
      'component:default/orders': {
        'kubernetes.deployments': 1,
        'kubernetes.allProbes': true,
        'kubernetes.allLimits': true,
        'kubernetes.minReplicas': 2,
      },
      'component:default/search': {
        'kubernetes.deployments': 1,
        'kubernetes.allProbes': false,
        'kubernetes.allLimits': true,
        'kubernetes.minReplicas': 1,
      },
      'component:default/none': {
        'kubernetes.deployments': 0,
        'kubernetes.allProbes': false,
        'kubernetes.allLimits': false,
        'kubernetes.minReplicas': 0,
      },
    });
  });
});

/*
 * Smoke test of the local control plane through @kubernetes/client-node: what the portal
 * relies on works against the real API server (not a mock). Needs PAVED_TEST_KUBECONFIG and
 * PAVED_TEST_PORTAL_KUBECONFIG (see scripts/test-cluster.sh); fails without them.
 */
import {
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  loadYaml,
  PatchStrategy,
  RbacAuthorizationV1Api,
  V1CustomResourceDefinition,
  VersionApi,
  Watch,
} from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import {
  createTestNamespace,
  loadKubeConfig,
  requireTestCluster,
  statusCodeOf,
  TestCluster,
  TestNamespace,
  waitFor,
} from './index';

const TIMEOUT = 60_000;

describe('local Kubernetes control plane', () => {
  let cluster: TestCluster;
  let kc: KubeConfig;
  let core: CoreV1Api;
  const namespaces: TestNamespace[] = [];

  beforeAll(() => {
    cluster = requireTestCluster(); // throws (fails every test) when the cluster is missing
    kc = cluster.kubeConfig;
    core = kc.makeApiClient(CoreV1Api);
  });

  afterAll(async () => {
    await Promise.all(namespaces.map(ns => ns.cleanup()));
  });

  async function namespace(prefix: string): Promise<string> {
    const ns = await createTestNamespace(kc, prefix);
    namespaces.push(ns);
    return ns.name;
  }

  it(
    'answers with the expected version and two Ready simulated nodes',
    async () => {
      const version = await kc.makeApiClient(VersionApi).getCode();
      expect(version.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
      const nodes = await core.listNode({ labelSelector: 'type=kwok' });
      const ready = nodes.items.filter(n =>
        n.status?.conditions?.some(
          c => c.type === 'Ready' && c.status === 'True',
        ),
      );
      expect(ready.map(n => n.metadata?.name).sort()).toEqual([
        'paved-node-1',
        'paved-node-2',
      ]);
    },
    TIMEOUT,
  );

  it(
    'creates a Secret and observes it through a watch',
    async () => {
      const ns = await namespace('smoke-watch');
      const abortLater: AbortController[] = [];
      const seen = new Promise<{
        phase: string;
        data?: Record<string, string>;
      }>((resolve, reject) => {
        const watching = new Watch(kc).watch(
          `/api/v1/namespaces/${ns}/secrets`,
          {},
          (phase, obj) => {
            if (obj?.metadata?.name === 'greeting') {
              resolve({ phase, data: obj.data });
            }
          },
          err => (err ? reject(err) : undefined),
        );
        watching.then(controller => abortLater.push(controller), reject);
      });
      try {
        // The watch is established before the Secret exists, so the event must be ADDED.
        await waitFor(
          'the watch to be established',
          async () => abortLater.length > 0,
        );
        await core.createNamespacedSecret({
          namespace: ns,
          body: {
            metadata: { name: 'greeting' },
            stringData: { hello: 'world' },
          },
        });
        const event = await seen;
        expect(event.phase).toBe('ADDED');
        expect(Buffer.from(event.data?.hello ?? '', 'base64').toString()).toBe(
          'world',
        );
      } finally {
        abortLater.forEach(c => c.abort());
      }
    },
    TIMEOUT,
  );

  it(
    'registers a CRD and server-side applies a custom resource that keeps its spec',
    async () => {
      const ns = await namespace('smoke-crd');
      // Unique group per run: CRDs are cluster-wide and runs may share a cluster.
      const group = `t${randomBytes(4).toString('hex')}.smoke.paved.dev`;
      // Loaded from YAML so that x-kubernetes-preserve-unknown-fields is mapped to the typed
      // model's name; written as a typed object it would be dropped silently (and with it
      // every custom resource's spec).
      const crd = loadYaml<V1CustomResourceDefinition>(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.${group}
spec:
  group: ${group}
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              x-kubernetes-preserve-unknown-fields: true
`);
      const ext = kc.makeApiClient(ApiextensionsV1Api);
      await ext.createCustomResourceDefinition({ body: crd });
      try {
        await waitFor('the CRD to be Established', async () => {
          const current = await ext.readCustomResourceDefinition({
            name: `widgets.${group}`,
          });
          return current.status?.conditions?.some(
            c => c.type === 'Established' && c.status === 'True',
          );
        });

        const objects = KubernetesObjectApi.makeApiClient(kc);
        const widget: KubernetesObject & { spec: unknown } = {
          apiVersion: `${group}/v1`,
          kind: 'Widget',
          metadata: { name: 'w1', namespace: ns },
          spec: { size: 3, colour: 'blue', nested: { list: [1, 2] } },
        };
        await objects.patch(
          widget,
          undefined,
          undefined,
          'paved-smoke-test',
          true,
          PatchStrategy.ServerSideApply,
        );
        const back = await objects.read<KubernetesObject & { spec?: unknown }>({
          apiVersion: widget.apiVersion,
          kind: 'Widget',
          metadata: { name: 'w1', namespace: ns },
        });
        expect(back.spec).toEqual(widget.spec);
      } finally {
        await ext.deleteCustomResourceDefinition({ name: `widgets.${group}` });
      }
    },
    TIMEOUT,
  );

  it(
    'runs a Deployment on the simulated nodes, then deletes its namespace until it is gone',
    async () => {
      const ns = await namespace('smoke-deploy');
      const apps = kc.makeApiClient(AppsV1Api);
      await apps.createNamespacedDeployment({
        namespace: ns,
        body: {
          metadata: { name: 'web' },
          spec: {
            replicas: 2,
            selector: { matchLabels: { app: 'web' } },
            template: {
              metadata: { labels: { app: 'web' } },
              // No container runs: kwok simulates the kubelet, the image is never pulled.
              spec: { containers: [{ name: 'web', image: 'example/web:1' }] },
            },
          },
        },
      });
      const pods = await waitFor(
        'two Running pods on the kwok nodes',
        async () => {
          const list = await core.listNamespacedPod({
            namespace: ns,
            labelSelector: 'app=web',
          });
          const running = list.items.filter(p => p.status?.phase === 'Running');
          return running.length === 2 ? running : undefined;
        },
        { timeoutMs: 40_000 },
      );
      for (const pod of pods) {
        expect(pod.spec?.nodeName).toMatch(/^paved-node-[12]$/);
      }

      await core.deleteNamespace({ name: ns });
      await waitFor(
        `namespace ${ns} to be gone`,
        async () => {
          try {
            await core.readNamespace({ name: ns });
            return false;
          } catch (error) {
            if (statusCodeOf(error) === 404) return true;
            throw error;
          }
        },
        { timeoutMs: 45_000, intervalMs: 500 },
      );
    },
    TIMEOUT,
  );

  it(
    "gives the portal's identity read access but not cluster-admin rights",
    async () => {
      const portal = loadKubeConfig(cluster.portalKubeconfigPath);
      const pods = await portal
        .makeApiClient(CoreV1Api)
        .listPodForAllNamespaces();
      expect(Array.isArray(pods.items)).toBe(true);

      const rbac = portal.makeApiClient(RbacAuthorizationV1Api);
      const attempt = rbac.createClusterRole({
        body: {
          metadata: {
            name: `smoke-forbidden-${randomBytes(3).toString('hex')}`,
          },
          rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
        },
      });
      await expect(attempt).rejects.toMatchObject({ code: 403 });
    },
    TIMEOUT,
  );
});

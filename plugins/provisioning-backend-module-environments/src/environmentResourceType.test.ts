/*
 * The environment type's steps run directly (as a worker runs them) against the real
 * Kubernetes API server of the test cluster, as the portal's RBAC-limited identity;
 * the test itself sets up and checks with the admin identity. kwok plays the kubelet,
 * so pods of Deployments reach Running. Fails (never skips) without the cluster.
 */
import { mockServices } from '@backstage/backend-test-utils';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  NetworkingV1Api,
  PatchStrategy,
  RbacAuthorizationV1Api,
  V1Deployment,
} from '@kubernetes/client-node';
import {
  requireTestCluster,
  statusCodeOf,
  TestCluster,
  waitFor,
} from '@paved/kube-test-utils';
import {
  inMemoryRequestLookup,
  ReferencedRequest,
  ResourceType,
} from '@paved/plugin-provisioning-node';
import { JsonObject } from '@backstage/types';
import { randomBytes } from 'node:crypto';
import { readEnvironmentsConfig } from './config';
import {
  createEnvironmentResourceType,
  EnvironmentParameters,
  validateEnvironmentName,
} from './environmentResourceType';
import { KubernetesObjects } from './kubernetes';
import { actionContext, directStepContext } from '@paved/test-utils';

jest.setTimeout(90_000);

const RUN = `e${randomBytes(3).toString('hex')}`;
const OWNER = 'group:default/checkout-team';
const PARAMS: EnvironmentParameters = {
  size: 'small',
  expires: true,
  ttlHours: 72,
};

function deployment(name: string, replicas: number): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': '{}',
        'paved.dev/kept': 'yes',
      },
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            { name: 'app', image: 'registry.test/orders:1' },
            { name: 'sidecar', image: 'registry.test/proxy:1' },
          ],
        },
      },
    },
  };
}

describe('validateEnvironmentName', () => {
  it.each([
    ['default', /reserved by Kubernetes/],
    ['kube-system', /reserved by Kubernetes/],
    ['kube-anything', /reserved by Kubernetes/],
    ['team-checkout', /reserved for team namespaces/],
  ])('refuses %s', (name, message) => {
    expect(validateEnvironmentName(name)).toMatch(message);
  });

  it.each(['orders-pr-12', 'feature-x', 'kubernetes', 'teams', 'default2'])(
    'accepts %s',
    name => {
      expect(validateEnvironmentName(name)).toBeUndefined();
    },
  );
});

describe('the environment type on a real Kubernetes API', () => {
  let cluster: TestCluster;
  let admin: KubeConfig;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let net: NetworkingV1Api;
  let type: ResourceType<EnvironmentParameters>;
  const made = new Set<string>();

  const ctxFor = (
    name: string,
    parameters: Partial<EnvironmentParameters> = {},
    extra: {
      requests?: ReferencedRequest[];
      outputs?: JsonObject;
      checkpoints?: Map<string, any>;
    } = {},
  ) => {
    made.add(name);
    return directStepContext<EnvironmentParameters>({
      request: {
        id: `request-${name}`,
        type: 'environment',
        name,
        owner: OWNER,
        parameters: { ...PARAMS, ...parameters },
        createdBy: 'user:default/bob',
      },
      outputs: extra.outputs,
      requests: inMemoryRequestLookup(extra.requests),
      checkpoints: extra.checkpoints,
    });
  };

  const referenced = (name: string): ReferencedRequest => ({
    id: `request-${name}`,
    type: 'environment',
    name,
    owner: OWNER,
    parameters: { ...PARAMS },
    createdBy: 'user:default/bob',
    state: 'ready',
    outputs: { namespace: name },
  });

  beforeAll(() => {
    cluster = requireTestCluster();
    admin = cluster.kubeConfig;
    core = admin.makeApiClient(CoreV1Api);
    apps = admin.makeApiClient(AppsV1Api);
    net = admin.makeApiClient(NetworkingV1Api);
    const config = readEnvironmentsConfig(
      mockServices.rootConfig({
        data: {
          provisioning: {
            environments: {
              kubernetes: { kubeconfigPath: cluster.portalKubeconfigPath },
            },
          },
        },
      }),
    )!;
    type = createEnvironmentResourceType({
      config,
      objects: new KubernetesObjects(
        (() => {
          const kc = new KubeConfig();
          kc.loadFromFile(cluster.portalKubeconfigPath);
          return kc;
        })(),
      ),
    });
  });

  afterAll(async () => {
    await Promise.all(
      [...made].map(name =>
        core?.deleteNamespace({ name }).catch(() => undefined),
      ),
    );
  });

  const names = async (
    list: Promise<{ items: Array<{ metadata?: { name?: string } }> }>,
  ) => (await list).items.map(item => item.metadata?.name).sort();

  it('makes the namespace with its quota, limits, network policy and team role binding', async () => {
    const name = `${RUN}-basic`;
    const ctx = ctxFor(name, {
      component: 'component:default/orders-service',
      size: 'medium',
      stage: 'staging',
    });
    await type.provision(ctx);
    expect(ctx.outputs).toEqual({
      namespace: name,
      size: 'medium',
      stage: 'staging',
      // The catalog Resource's Kubernetes tab shows the whole namespace.
      catalogAnnotations: {
        'backstage.io/kubernetes-namespace': name,
        'backstage.io/kubernetes-label-selector': '!paved.dev/hidden',
      },
    });

    const namespace = await core.readNamespace({ name });
    expect(namespace.metadata?.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'paved',
      'paved.dev/environment': name,
      'paved.dev/owner': 'checkout-team',
      'paved.dev/component': 'orders-service',
      'paved.dev/request-id': `request-${name}`,
    });
    expect(namespace.metadata?.annotations).toMatchObject({
      'backstage.io/kubernetes-id': 'orders-service',
    });

    const quota = await core.readNamespacedResourceQuota({
      name: 'paved-quota',
      namespace: name,
    });
    expect(quota.spec?.hard).toEqual({
      'requests.cpu': '4',
      'requests.memory': '8Gi',
      'limits.cpu': '8',
      'limits.memory': '16Gi',
      pods: '50',
      services: '20',
      persistentvolumeclaims: '10',
    });
    const limits = await core.readNamespacedLimitRange({
      name: 'paved-limits',
      namespace: name,
    });
    expect(limits.spec!.limits[0]).toMatchObject({
      type: 'Container',
      defaultRequest: { cpu: '200m', memory: '256Mi' },
      _default: { cpu: '1', memory: '1Gi' },
    });
    const policy = await net.readNamespacedNetworkPolicy({
      name: 'paved-default-deny',
      namespace: name,
    });
    expect(policy.spec).toMatchObject({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [
        {
          _from: [
            { podSelector: {} },
            {
              namespaceSelector: {
                matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' },
              },
            },
          ],
        },
      ],
    });
    const binding = await admin
      .makeApiClient(RbacAuthorizationV1Api)
      .readNamespacedRoleBinding({ name: 'paved-team-edit', namespace: name });
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'edit',
    });
    expect(binding.subjects).toEqual([
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Group',
        name: 'checkout-team',
      },
    ]);
    const managers = binding.metadata?.managedFields?.map(f => f.manager);
    expect(managers).toEqual(['paved-provisioning']);

    // An empty environment is ready.
    await expect(type.observe!(ctx)).resolves.toEqual({
      ready: true,
      message: '0 of 0 workloads ready, 0 of 0 pods ready',
    });
  });

  it("makes a copy depend on its source, which only the source's owners may copy", () => {
    const input = (parameters: object) => ({
      type: 'environment',
      name: 'orders-copy',
      owner: 'group:default/checkout-team',
      parameters: { size: 'small', expires: true, ttlHours: 1, ...parameters },
      createdBy: 'user:default/bob',
    });
    expect(type.references!(input({}) as any)).toEqual([]);
    // The engine answers a 403 naming the field to anyone who may not change it.
    expect(type.references!(input({ source: 'orders-main' }) as any)).toEqual([
      {
        field: 'parameters.source',
        type: 'environment',
        name: 'orders-main',
        permission: 'update',
      },
    ]);
  });

  it('refuses a namespace that exists and is not its own', async () => {
    const name = `${RUN}-taken`;
    made.add(name);
    await core.createNamespace({ body: { metadata: { name } } });
    await expect(type.provision(ctxFor(name))).rejects.toMatchObject({
      name: 'NonRetryableError',
      message: `namespace '${name}' already exists and is not this environment's; choose another name`,
    });
    // ...and destroy leaves it alone.
    await type.destroy(ctxFor(name));
    expect((await core.readNamespace({ name })).metadata?.name).toBe(name);
  });

  it('is ready only when a Deployment with 2 replicas runs on the nodes, and deploys a new image', async () => {
    const name = `${RUN}-obs`;
    const ctx = ctxFor(name);
    await type.provision(ctx);
    // Pinned to a node that does not exist: its pods stay Pending.
    const pinned = deployment('web', 2);
    pinned.spec!.template.spec!.nodeSelector = {
      'paved.dev/no-such-node': 'x',
    };
    await apps.createNamespacedDeployment({ namespace: name, body: pinned });
    const pending = await waitFor('both pods to be created', async () => {
      const result = await type.observe!(ctx);
      return result.message?.endsWith('0 of 2 pods ready') ? result : undefined;
    });
    expect(pending).toEqual({
      ready: false,
      message: '0 of 1 workloads ready, 0 of 2 pods ready',
    });
    // Unpinned: the scheduler puts them on kwok's nodes, which run them.
    await KubernetesObjectApi.makeApiClient(admin).patch(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: name },
        spec: { template: { spec: { nodeSelector: null } } },
      } as KubernetesObject,
      undefined,
      undefined,
      'test',
      undefined,
      PatchStrategy.StrategicMergePatch,
    );
    const ready = await waitFor('the environment to be ready', async () => {
      const result = await type.observe!(ctx);
      return result.ready ? result : undefined;
    });
    expect(ready.message).toBe('1 of 1 workloads ready, 2 of 2 pods ready');
    const pods = await core.listNamespacedPod({ namespace: name });
    expect(pods.items.map(p => p.status?.phase)).toEqual([
      'Running',
      'Running',
    ]);
    // The LimitRange gave the containers their defaults, so the quota admits them.
    expect(pods.items[0].spec?.containers[0].resources?.requests).toEqual({
      cpu: '100m',
      memory: '128Mi',
    });

    await type.actions!.deploy.run(
      actionContext(ctx, 'deploy', { image: 'registry.test/orders:2' }),
    );
    expect(ctx.outputs.image).toBe('registry.test/orders:2');
    const deployed = await apps.readNamespacedDeployment({
      name: 'web',
      namespace: name,
    });
    expect(
      deployed.spec?.template.spec?.containers.map(c => [c.name, c.image]),
    ).toEqual([
      ['app', 'registry.test/orders:2'],
      ['sidecar', 'registry.test/orders:2'],
    ]);
    await waitFor('the new image to be rolled out', async () =>
      (await type.observe!(ctx)).ready ? true : undefined,
    );

    // The quota controller counts the old ReplicaSet's pods until they are gone.
    const status = await waitFor(
      'the quota to count the 2 new pods',
      async () => {
        const current = await type.status!(ctx);
        // The Deployment's status, too, may count an old pod for a moment.
        return current.sections[0].table?.rows?.some(
          row => row[0] === 'pods' && row[1] === '2',
        ) && current.sections[1].table?.rows?.[0]?.[2] === '2/2'
          ? current
          : undefined;
      },
    );
    expect(status.sections.map(s => s.title)).toEqual([
      'Quota and usage',
      'Workloads',
      'Pods',
    ]);
    expect(status.sections[0].table?.rows).toContainEqual(['pods', '2', '20']);
    expect(status.sections[1].table).toEqual({
      columns: ['Kind', 'Name', 'Ready', 'Image'],
      rows: [['Deployment', 'web', '2/2', 'registry.test/orders:2']],
    });
    expect(status.sections[2].items).toContainEqual({
      label: 'Running',
      value: 2,
    });
  });

  describe('clone', () => {
    const source = `${RUN}-src`;
    const target = `${RUN}-copy`;
    const sourceUids = new Map<string, string>();

    beforeAll(async () => {
      await type.provision(ctxFor(source));
      const objects = KubernetesObjectApi.makeApiClient(admin);
      const put = (object: KubernetesObject) =>
        objects.create({
          ...object,
          metadata: { ...object.metadata, namespace: source },
        });
      await Promise.all([
        put({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'settings' },
          data: { LOG_LEVEL: 'debug' },
        } as KubernetesObject),
        put({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'features' },
          data: { NEW_CHECKOUT: 'on' },
        } as KubernetesObject),
        put({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'db-credentials' },
          stringData: { password: 'not-to-be-copied' },
        } as KubernetesObject),
        put({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'web' },
          spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
        } as KubernetesObject),
        put(deployment('web', 1)),
        put({
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          metadata: { name: 'cache' },
          spec: {
            serviceName: 'cache',
            replicas: 1,
            selector: { matchLabels: { app: 'cache' } },
            template: {
              metadata: { labels: { app: 'cache' } },
              spec: {
                containers: [{ name: 'redis', image: 'registry.test/redis:7' }],
              },
            },
          },
        } as KubernetesObject),
        put({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: 'web' },
          spec: {
            rules: [
              {
                host: 'web.test',
                http: {
                  paths: [
                    {
                      path: '/',
                      pathType: 'Prefix',
                      backend: {
                        service: { name: 'web', port: { number: 80 } },
                      },
                    },
                  ],
                },
              },
            ],
          },
        } as KubernetesObject),
      ]);
    });

    it('copies Deployments, StatefulSets, Services, ConfigMaps and Ingresses, never Secrets, with the new image', async () => {
      const ctx = ctxFor(
        target,
        { source, image: 'registry.test/orders:pr-7' },
        { requests: [referenced(source)] },
      );
      await type.provision(ctx);
      expect(ctx.outputs).toEqual({
        namespace: target,
        size: 'small',
        // PARAMS has no stage, as requests made before stages: development.
        stage: 'development',
        clonedFrom: source,
        clonedObjects: 6,
        // The source has no resources attached.
        attachedResources: [],
        image: 'registry.test/orders:pr-7',
        catalogAnnotations: {
          'backstage.io/kubernetes-namespace': target,
          'backstage.io/kubernetes-label-selector': '!paved.dev/hidden',
        },
      });

      expect(
        await names(core.listNamespacedConfigMap({ namespace: target })),
      ).toEqual(['features', 'kube-root-ca.crt', 'settings']);
      const settings = await core.readNamespacedConfigMap({
        name: 'settings',
        namespace: target,
      });
      expect(settings.data).toEqual({ LOG_LEVEL: 'debug' });
      expect(settings.metadata?.labels).toEqual({
        'paved.dev/cloned-from': source,
      });
      expect(
        await names(core.listNamespacedSecret({ namespace: target })),
      ).toEqual([]);

      const [original, copied] = await Promise.all(
        [source, target].map(namespace =>
          core.readNamespacedService({ name: 'web', namespace }),
        ),
      );
      expect(copied.spec?.clusterIP).toBeTruthy();
      expect(copied.spec?.clusterIP).not.toBe(original.spec?.clusterIP);

      const web = await apps.readNamespacedDeployment({
        name: 'web',
        namespace: target,
      });
      expect(web.spec?.template.spec?.containers.map(c => c.image)).toEqual([
        'registry.test/orders:pr-7',
        'registry.test/orders:pr-7',
      ]);
      // The source's history stays behind; the copy's controller starts its own.
      expect(web.metadata?.annotations).toEqual({
        'paved.dev/kept': 'yes',
        'deployment.kubernetes.io/revision': '1',
      });
      expect(web.metadata?.ownerReferences).toBeUndefined();
      const cache = await apps.readNamespacedStatefulSet({
        name: 'cache',
        namespace: target,
      });
      expect(cache.spec?.template.spec?.containers[0].image).toBe(
        'registry.test/orders:pr-7',
      );
      expect(
        await names(net.listNamespacedIngress({ namespace: target })),
      ).toEqual(['web']);

      for (const [kind, list] of [
        ['deployment', apps.listNamespacedDeployment({ namespace: target })],
        ['statefulset', apps.listNamespacedStatefulSet({ namespace: target })],
        ['service', core.listNamespacedService({ namespace: target })],
        ['configmap', core.listNamespacedConfigMap({ namespace: target })],
      ] as const) {
        for (const item of (await list).items) {
          sourceUids.set(`${kind}/${item.metadata?.name}`, item.metadata!.uid!);
        }
      }

      await waitFor('the copy to come up', async () =>
        (await type.observe!(ctx)).ready ? true : undefined,
      );
    });

    it('changes nothing when the step runs again (a resumed worker)', async () => {
      // A fresh context: no checkpoints, as after a crash before they were stored.
      const again = ctxFor(
        target,
        { source, image: 'registry.test/orders:pr-7' },
        { requests: [referenced(source)] },
      );
      await type.provision(again);
      expect(again.outputs.clonedObjects).toBe(6);
      const uids = new Map<string, string>();
      for (const [kind, list] of [
        ['deployment', apps.listNamespacedDeployment({ namespace: target })],
        ['statefulset', apps.listNamespacedStatefulSet({ namespace: target })],
        ['service', core.listNamespacedService({ namespace: target })],
        ['configmap', core.listNamespacedConfigMap({ namespace: target })],
      ] as const) {
        for (const item of (await list).items) {
          uids.set(`${kind}/${item.metadata?.name}`, item.metadata!.uid!);
        }
      }
      expect(uids).toEqual(sourceUids);
      const web = await apps.readNamespacedDeployment({
        name: 'web',
        namespace: target,
      });
      // Applying the same intent again does not roll the pods.
      expect(web.metadata?.generation).toBe(1);

      // With the checkpoints of the first run, the copy is not even listed again.
      const checkpoints = new Map<string, any>([
        ['namespace', undefined],
        ['guard-rails', undefined],
        ['clone', 6],
      ]);
      const resumed = ctxFor(
        target,
        { source, image: 'registry.test/orders:pr-7' },
        { requests: [], checkpoints },
      );
      await type.provision(resumed);
      expect(resumed.outputs.clonedObjects).toBe(6);
    });

    it('fails for good when the source is gone', async () => {
      await expect(
        type.provision(ctxFor(`${RUN}-orphan`, { source: `${RUN}-nothing` })),
      ).rejects.toMatchObject({
        name: 'NonRetryableError',
        message: `source environment '${RUN}-nothing' does not exist (any more)`,
      });
    });
  });

  it('puts back a deleted quota and an edited network policy, and reports both once', async () => {
    const name = `${RUN}-drift`;
    const ctx = ctxFor(name);
    await type.provision(ctx);
    await expect(type.reconcile!(ctx)).resolves.toEqual([]);

    await core.deleteNamespacedResourceQuota({
      name: 'paved-quota',
      namespace: name,
    });
    // As `kubectl edit` would: let everything in.
    await KubernetesObjectApi.makeApiClient(admin).patch(
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'paved-default-deny', namespace: name },
        spec: { ingress: [{}] },
      },
      undefined,
      undefined,
      'kubectl-edit',
      undefined,
      PatchStrategy.MergePatch,
    );

    await expect(type.reconcile!(ctx)).resolves.toEqual([
      'ResourceQuota paved-quota was missing; recreated',
      'NetworkPolicy paved-default-deny was changed by hand; restored',
    ]);
    const policy = await net.readNamespacedNetworkPolicy({
      name: 'paved-default-deny',
      namespace: name,
    });
    expect(policy.spec?.ingress?.[0]._from).toHaveLength(2);
    await core.readNamespacedResourceQuota({
      name: 'paved-quota',
      namespace: name,
    });
    await expect(type.reconcile!(ctx)).resolves.toEqual([]);

    // A namespace deleted by hand is reported, not recreated.
    await core.deleteNamespace({ name });
    await expect(type.reconcile!(ctx)).resolves.toEqual([
      `namespace ${name} is being deleted`,
    ]);
    await waitFor('the namespace to be gone', () =>
      core.readNamespace({ name }).then(
        () => false,
        error => statusCodeOf(error) === 404,
      ),
    );
    await expect(type.reconcile!(ctx)).resolves.toEqual([
      `namespace ${name} is gone`,
    ]);
  });

  it('destroys: deletes the namespace and returns once it is gone; again finds nothing', async () => {
    const name = `${RUN}-gone`;
    const ctx = ctxFor(name);
    await type.provision(ctx);
    await apps.createNamespacedDeployment({
      namespace: name,
      body: deployment('web', 1),
    });
    await type.destroy(ctx);
    const code = await core.readNamespace({ name }).then(
      () => 200,
      error => statusCodeOf(error),
    );
    expect(code).toBe(404);
    await expect(type.destroy(ctx)).resolves.toBeUndefined();
  });
});

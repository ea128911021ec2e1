/*
 * Rendered Score workloads applied (server-side, as the portal's RBAC-limited
 * identity) into fresh namespaces of the real Kubernetes API server of the test
 * cluster, and waited for until their pods run and are Ready; kwok plays the
 * kubelet. The test sets up and checks with the admin identity. Fails (never skips)
 * without the cluster.
 */
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  NetworkingV1Api,
} from '@kubernetes/client-node';
import {
  createTestNamespace,
  requireTestCluster,
  TestNamespace,
} from '@paved/kube-test-utils';
import {
  formatScoreProblems,
  parseScoreWorkload,
  ScoreWorkload,
} from '@paved/plugin-deployments-common';
import { KubernetesObjects } from '@paved/plugin-provisioning-backend-module-environments';
import { ScoreResourceOutput } from '@paved/plugin-provisioning-node';
import { DEFAULT_WORKLOAD_DEFAULTS, renderWorkload } from '../render';
import { applyRendered, RolloutFailedError, waitForRollout } from '.';

jest.setTimeout(120_000);

const FIXTURES = resolvePath(
  __dirname,
  '../../../deployments-common/src/score/__fixtures__',
);

function fixture(name: string): ScoreWorkload {
  const result = parseScoreWorkload(
    readFileSync(resolvePath(FIXTURES, `${name}.yaml`), 'utf8'),
  );
  if (!result.ok) {
    throw new Error(`${name}.yaml: ${formatScoreProblems(result.problems)}`);
  }
  return result.workload;
}

const secret = (name: string, key: string): ScoreResourceOutput => ({
  secretKeyRef: { name, key },
});

/** The outputs each fixture's resources resolve to, and the Secrets they name. */
const CASES: Record<
  string,
  {
    resources: Record<string, Record<string, ScoreResourceOutput>>;
    secrets?: Record<string, Record<string, string>>;
  }
> = {
  postgres: {
    resources: {
      db: {
        host: { value: 'orders-db-rw' },
        port: { value: 5432 },
        database: { value: 'orders' },
        username: secret('orders-db-app', 'username'),
        password: secret('orders-db-app', 'password'),
      },
    },
    secrets: {
      'orders-db-app': {
        username: 'orders-user-7f3a',
        password: 's3cr3t-9b1c',
      },
    },
  },
  amqp: {
    resources: {
      'orders-queue': {
        host: { value: 'rabbitmq.rabbitmq.svc' },
        port: { value: 5672 },
        vhost: { value: 'orders' },
        username: secret('orders-queue-amqp', 'username'),
        password: secret('orders-queue-amqp', 'password'),
      },
    },
    secrets: {
      'orders-queue-amqp': {
        username: 'queue-user-2d4e',
        password: 'queue-pass-8a6f',
      },
    },
  },
  'probes-limits': { resources: {} },
  command: { resources: {} },
  'route-dns': {
    resources: { dns: { host: { value: 'web.dev.paved.test' } } },
  },
};

describe('applying a rendered workload and waiting for its rollout', () => {
  let admin: KubeConfig;
  let objects: KubernetesObjects;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let net: NetworkingV1Api;
  const namespaces: TestNamespace[] = [];

  beforeAll(() => {
    const cluster = requireTestCluster();
    admin = cluster.kubeConfig;
    core = admin.makeApiClient(CoreV1Api);
    apps = admin.makeApiClient(AppsV1Api);
    net = admin.makeApiClient(NetworkingV1Api);
    const portal = new KubeConfig();
    portal.loadFromFile(cluster.portalKubeconfigPath);
    objects = new KubernetesObjects(portal);
  });

  afterAll(async () => {
    await Promise.all(namespaces.map(ns => ns.cleanup()));
  });

  async function namespace(prefix: string): Promise<string> {
    const ns = await createTestNamespace(admin, `score-${prefix}`);
    namespaces.push(ns);
    return ns.name;
  }

  async function deploy(
    workload: ScoreWorkload,
    ns: string,
    resources: Record<string, Record<string, ScoreResourceOutput>> = {},
    timeoutMs = 60_000,
  ) {
    const rendered = renderWorkload({
      workload,
      namespace: ns,
      environment: ns,
      requestId: 'req-test',
      component: 'component:default/orders',
      image: 'registry.test/app:1',
      resources,
      defaults: DEFAULT_WORKLOAD_DEFAULTS,
    });
    const started = performance.now();
    const result = await applyRendered(objects, {
      namespace: ns,
      workload: workload.metadata.name,
      rendered,
    });
    await waitForRollout(objects, {
      namespace: ns,
      workload: workload.metadata.name,
      timeoutMs,
    });
    return { ...result, ms: performance.now() - started };
  }

  it.each(Object.keys(CASES))(
    'rolls out the %s fixture until its pods run and are Ready',
    async name => {
      const ns = await namespace(name);
      const { resources, secrets = {} } = CASES[name];
      for (const [secretName, data] of Object.entries(secrets)) {
        await core.createNamespacedSecret({
          namespace: ns,
          body: { metadata: { name: secretName }, stringData: data },
        });
      }
      // Like an environment's quota: pods are only admitted with limits.
      await core.createNamespacedResourceQuota({
        namespace: ns,
        body: {
          metadata: { name: 'paved-quota' },
          spec: {
            hard: { 'limits.cpu': '2', 'limits.memory': '2Gi', pods: '5' },
          },
        },
      });
      const workload = fixture(name);
      const { applied } = await deploy(workload, ns, resources);
      expect(applied.map(o => o.kind)).toContain('Deployment');

      const pods = await core.listNamespacedPod({
        namespace: ns,
        labelSelector: `paved.dev/workload=${workload.metadata.name}`,
      });
      expect(pods.items).toHaveLength(1);
      expect(pods.items[0].status?.phase).toBe('Running');
      expect(
        pods.items[0].status?.conditions?.find(c => c.type === 'Ready')?.status,
      ).toBe('True');
      expect(
        pods.items[0].metadata?.labels?.['backstage.io/kubernetes-id'],
      ).toBe('orders');
      // Secrets are referenced, never written into the Deployment.
      const deployment = await apps.readNamespacedDeployment({
        name: workload.metadata.name,
        namespace: ns,
      });
      const text = JSON.stringify(deployment.spec);
      for (const data of Object.values(secrets)) {
        for (const value of Object.values(data)) {
          expect(text).not.toContain(`"${value}"`);
        }
      }
      const services = await core.listNamespacedService({ namespace: ns });
      expect(
        services.items.map(service => [
          service.metadata?.name,
          service.spec?.ports?.map(p => p.name),
        ]),
      ).toEqual(
        workload.service
          ? [
              [
                workload.metadata.name,
                Object.keys(workload.service.ports ?? {}),
              ],
            ]
          : [],
      );
    },
  );

  it('references the secrets of the postgres fixture by key, the URL through $(NAME)', async () => {
    const ns = await namespace('pg-env');
    await deploy(fixture('postgres'), ns, CASES.postgres.resources);
    const deployment = await apps.readNamespacedDeployment({
      name: 'orders',
      namespace: ns,
    });
    const env = deployment.spec!.template.spec!.containers[0].env!;
    expect(
      env.find(e => e.name === 'POSTGRES_PASSWORD')?.valueFrom?.secretKeyRef,
    ).toEqual({
      name: 'orders-db-app',
      key: 'password',
    });
    expect(env.find(e => e.name === 'DATABASE_URL')?.value).toMatch(
      /^postgres:\/\/\$\(__ref_[0-9a-f]+\):\$\(__ref_[0-9a-f]+\)@orders-db-rw:5432\/orders$/,
    );
  });

  it('prunes what is no longer rendered: the Ingress of a removed route, the ConfigMap of removed files', async () => {
    const ns = await namespace('prune');
    const base = fixture('route-dns');
    const withFiles: ScoreWorkload = {
      ...base,
      containers: {
        web: {
          ...base.containers.web,
          files: { '/etc/web/motd': { content: 'hi ${metadata.name}' } },
        },
      },
    };
    const first = await deploy(withFiles, ns, CASES['route-dns'].resources);
    expect(first.applied.map(o => o.kind)).toEqual([
      'ConfigMap',
      'Service',
      'Deployment',
      'Ingress',
    ]);
    expect(first.pruned).toEqual([]);
    const ingress = await net.readNamespacedIngress({
      name: 'web',
      namespace: ns,
    });
    expect(ingress.spec?.rules?.[0].host).toBe('web.dev.paved.test');
    const configMap = await core.readNamespacedConfigMap({
      name: 'web-files',
      namespace: ns,
    });
    expect(Object.values(configMap.data ?? {})).toEqual(['hi web']);

    const { route, ...otherResources } = base.resources!;
    const second = await deploy(
      { ...base, resources: otherResources },
      ns,
      CASES['route-dns'].resources,
    );
    expect(second.pruned.sort()).toEqual([
      'ConfigMap/web-files',
      'Ingress/web',
    ]);
    const ingresses = await net.listNamespacedIngress({ namespace: ns });
    expect(ingresses.items).toEqual([]);
    // The Deployment rolled out again, without the file.
    const deployment = await apps.readNamespacedDeployment({
      name: 'web',
      namespace: ns,
    });
    expect(deployment.spec?.template.spec?.volumes).toBeUndefined();
  });

  it('fails with the reason when a quota admits no pods', async () => {
    const ns = await namespace('quota');
    await core.createNamespacedResourceQuota({
      namespace: ns,
      body: { metadata: { name: 'no-pods' }, spec: { hard: { pods: '0' } } },
    });
    const started = performance.now();
    const error = await deploy(fixture('command'), ns).catch(e => e);
    expect(error).toBeInstanceOf(RolloutFailedError);
    expect(error.message).toMatch(
      /ReplicaFailure FailedCreate: .*exceeded quota: no-pods/,
    );
    // Found from the Deployment's condition, long before its progress deadline.
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('gives up after the timeout with the state so far, and stops when aborted', async () => {
    const ns = await namespace('timeout');
    // kwok runs pods within a poll or two, so only a Deployment that never comes
    // makes the wait time out for sure.
    const error = await waitForRollout(objects, {
      namespace: ns,
      workload: 'never-applied',
      timeoutMs: 300,
    }).catch(e => e);
    expect(error).toBeInstanceOf(RolloutFailedError);
    expect(error.message).toBe(
      `The rollout of Deployment '${ns}/never-applied' failed: not rolled out within 300 ms: the Deployment does not exist`,
    );
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await expect(
      waitForRollout(objects, {
        namespace: ns,
        workload: 'never-applied',
        signal: controller.signal,
      }),
    ).rejects.toThrow('stopped');
  });

  it('measures apply → ready (median of 5 fresh namespaces)', async () => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const ns = await namespace(`timing-${i}`);
      times.push((await deploy(fixture('probes-limits'), ns)).ms);
    }
    times.sort((a, b) => a - b);
    // eslint-disable-next-line no-console
    console.log(
      `apply → ready: median ${Math.round(times[2])} ms (${times
        .map(Math.round)
        .join(', ')})`,
    );
    expect(times[2]).toBeLessThan(30_000);
  });
});

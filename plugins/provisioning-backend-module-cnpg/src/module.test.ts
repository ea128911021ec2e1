/*
 * The postgres-dedicated resource type end to end: the real provisioning plugin (HTTP
 * API, worker), this module, and the real Kubernetes API server, written to as the
 * portal's RBAC-limited identity. The test installs a minimal CloudNativePG Cluster
 * CRD and plays the operator by writing the Cluster's status. Needs what ./paved test
 * starts; fails (never skips) without it.
 */
import { mockServices, TestBackend } from '@backstage/backend-test-utils';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { loadKubeConfig as kubeConfigOf } from '@paved/kubernetes-access';
import {
  installCrd,
  portalKubernetesConfig,
  requireTestCluster,
  TestCluster,
  waitFor,
} from '@paved/kube-test-utils';
// The real engine the module plugs into, in tests only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import provisioningPlugin from '@paved/plugin-provisioning-backend';
import {
  directStepContext,
  expectDocumentedParameters,
  provisioningApi,
  startProvisioningBackend,
  testWorkerConfig,
} from '@paved/test-utils';
import { randomBytes } from 'node:crypto';
import { readCnpgConfig } from './config';
import { CnpgParameters, createCnpgResourceType } from './cnpgResourceType';
import { CnpgCluster, CnpgClusters } from './kubernetes';
import provisioningModuleCnpg from './index';

jest.setTimeout(60_000);

const GROUP = 'postgresql.cnpg.io';
const PLURAL = 'clusters';

/** The least of CloudNativePG's CRD that the module needs: the kind, and a status subresource. */
const CLUSTER_CRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: clusters.postgresql.cnpg.io
spec:
  group: postgresql.cnpg.io
  scope: Namespaced
  names:
    kind: Cluster
    listKind: ClusterList
    plural: clusters
    singular: cluster
  versions:
    - name: v1
      served: true
      storage: true
      subresources:
        status: {}
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              x-kubernetes-preserve-unknown-fields: true
            status:
              type: object
              x-kubernetes-preserve-unknown-fields: true
`;

/** A prefix of this run's names, so that runs on one cluster never meet. */
const RUN = `c${randomBytes(3).toString('hex')}`;
const OWNER = `group:default/${RUN}-team`;
const NAMESPACE = `team-${RUN}`;
const BOB = 'user:default/bob';

describe('the postgres-dedicated resource type on a real Kubernetes API', () => {
  let cluster: TestCluster;
  let core: CoreV1Api;
  let custom: CustomObjectsApi;
  let backend: TestBackend;

  function testConfig() {
    return {
      provisioning: {
        worker: testWorkerConfig({ observeIntervalMs: 100 }),
        cnpg: {
          imageName: 'ghcr.io/cloudnative-pg/postgresql:16.4',
          storageClass: 'fast-ssd',
          defaultInstances: 2,
          maxStorageGi: 20,
          kubernetes: portalKubernetesConfig(cluster),
        },
      },
    };
  }

  beforeAll(async () => {
    cluster = requireTestCluster();
    core = cluster.kubeConfig.makeApiClient(CoreV1Api);
    custom = cluster.kubeConfig.makeApiClient(CustomObjectsApi);
    await installCrd(cluster.kubeConfig, CLUSTER_CRD);
    backend = await startProvisioningBackend({
      features: [provisioningPlugin, provisioningModuleCnpg],
      config: testConfig(),
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await core?.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  });

  const { api, waitForState, waitForIdle, listedType, requestsOf } =
    provisioningApi(() => backend.server, BOB);
  const { body: requestBody, expectRefused } = requestsOf(
    'postgres-dedicated',
    OWNER,
  );

  const readCluster = async (name: string) =>
    (await custom.getNamespacedCustomObject({
      group: GROUP,
      version: 'v1',
      namespace: NAMESPACE,
      plural: PLURAL,
      name,
    })) as CnpgCluster;

  /** Plays CloudNativePG: writes the Cluster's status through its subresource. */
  async function setStatus(name: string, status: CnpgCluster['status']) {
    const current = await readCluster(name);
    await custom.replaceNamespacedCustomObjectStatus({
      group: GROUP,
      version: 'v1',
      namespace: NAMESPACE,
      plural: PLURAL,
      name,
      body: { ...current, status },
    });
  }

  const ORDERS = `${RUN}-orders`;
  const ORDERS_DB = `${RUN}_orders`;
  let ordersId: string;

  it('offers a form with a title and a description on every field, and a scale action', async () => {
    const type = await listedType('postgres-dedicated');
    expect(type).toMatchObject({
      title: 'Dedicated PostgreSQL (CloudNativePG)',
      catalogType: 'database',
      parameters: {
        properties: {
          instances: { minimum: 1, maximum: 5, default: 2 },
          storageGi: { minimum: 1, maximum: 20, default: 5 },
          environment: {
            enum: ['development', 'staging', 'production'],
            default: 'development',
          },
        },
      },
    });
    expectDocumentedParameters(type);
    expect(type.actions.map((a: { id: string }) => a.id)).toEqual(['scale']);
  });

  it('refuses invalid names and parameters with a 400 naming the field, storing nothing', async () => {
    const cases: Array<[string, object, RegExp]> = [
      [`a${'b'.repeat(50)}`, {}, /^Invalid request: name: must be at most 50/],
      ['1orders', {}, /^Invalid request: name: must start with a letter/],
      ['Orders', {}, /^Invalid request: name: /],
      ['postgres', {}, /^Invalid request: name: 'postgres' is reserved/],
      [
        `${RUN}-bad`,
        { instances: 9 },
        /^Invalid parameters: parameters\.instances: must be <= 5$/,
      ],
      [
        `${RUN}-bad`,
        { storageGi: 999 },
        /^Invalid parameters: parameters\.storageGi: must be <= 20$/,
      ],
      [
        `${RUN}-bad`,
        { environment: 'prod' },
        /^Invalid parameters: parameters\.environment: must be one of/,
      ],
      [
        `${RUN}-bad`,
        { component: 'checkout service' },
        /^Invalid parameters: parameters\.component: must match pattern/,
      ],
    ];
    await expectRefused(cases);
  });

  it('applies a Cluster as the portal and stays provisioning until the operator reports it healthy', async () => {
    const created = await api('post', '/requests').send(
      requestBody(ORDERS, {
        instances: 2,
        storageGi: 10,
        component: 'component:default/orders-service',
      }),
    );
    expect(created.body.error?.message).toBeUndefined();
    ordersId = created.body.id;

    const applied = await waitFor('the Cluster to exist', () =>
      readCluster(ORDERS).catch(() => undefined),
    );
    expect(applied.metadata?.labels).toEqual({
      'app.kubernetes.io/managed-by': 'paved',
      'paved.dev/request-id': ordersId,
    });
    expect(applied.metadata?.annotations).toEqual({
      'paved.dev/owner': OWNER,
    });
    expect(applied.spec).toEqual({
      instances: 2,
      imageName: 'ghcr.io/cloudnative-pg/postgresql:16.4',
      storage: { size: '10Gi', storageClass: 'fast-ssd' },
      bootstrap: { initdb: { database: ORDERS_DB, owner: `${ORDERS_DB}_app` } },
    });
    const managers = applied.metadata?.managedFields?.map(f => f.manager);
    expect(managers).toContain('paved-provisioning');
    const namespace = await core.readNamespace({ name: NAMESPACE });
    expect(namespace.metadata?.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'paved',
    });

    // No status yet: the worker keeps observing, and the request keeps waiting.
    const waiting = await waitFor(
      'observe to report the empty status',
      async () => {
        const details = (await api('get', `/requests/${ordersId}`)).body;
        return JSON.stringify(details.timeline).includes(
          'phase: none yet, 0/2 ready',
        )
          ? details
          : undefined;
      },
    );
    expect(waiting.state).toBe('provisioning');

    // One instance up: still not ready.
    await setStatus(ORDERS, {
      phase: 'Setting up primary',
      instances: 2,
      readyInstances: 1,
    });
    await waitFor('observe to report the partial status', async () =>
      JSON.stringify(
        (
          await api('get', `/requests/${ordersId}`)
        ).body.timeline,
      ).includes('phase: Setting up primary, 1/2 ready'),
    );
    expect((await api('get', `/requests/${ordersId}`)).body.state).toBe(
      'provisioning',
    );

    await setStatus(ORDERS, {
      phase: 'Cluster in healthy state',
      instances: 2,
      readyInstances: 2,
      currentPrimary: `${ORDERS}-1`,
    });
    const ready = await waitForState(ordersId, 'ready');
    expect(ready.outputs).toEqual({
      clusterName: ORDERS,
      namespace: NAMESPACE,
      host: `${ORDERS}-rw.${NAMESPACE}.svc`,
      port: 5432,
      database: ORDERS_DB,
      secretName: `${ORDERS}-app`,
      instances: 2,
    });
  });

  it('shows the live phase, ready instances and primary', async () => {
    const status = await api('get', `/requests/${ordersId}/status`);
    expect(status.status).toBe(200);
    expect(status.body.sections).toEqual([
      {
        title: 'Cluster',
        items: [
          { label: 'Phase', value: 'Cluster in healthy state' },
          { label: 'Ready instances', value: '2 of 2' },
          { label: 'Current primary', value: `${ORDERS}-1` },
        ],
      },
    ]);
  });

  it('scales: the Cluster gets the new instance count and the request stays ready', async () => {
    const refused = await api(
      'post',
      `/requests/${ordersId}/actions/scale`,
    ).send({
      input: { instances: 6 },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/instances/);

    const scaled = await api(
      'post',
      `/requests/${ordersId}/actions/scale`,
    ).send({
      input: { instances: 3 },
    });
    expect(scaled.status).toBe(202);
    const done = await waitForIdle(ordersId);
    expect(done.lastError).toBeUndefined();
    expect(done.state).toBe('ready');
    expect(done.outputs.instances).toBe(3);
    const applied = await readCluster(ORDERS);
    expect(applied.spec?.instances).toBe(3);
    // What the operator wrote is untouched.
    expect(applied.status?.currentPrimary).toBe(`${ORDERS}-1`);
  });

  it('holds production clusters for a platform-team approval', async () => {
    const created = await api('post', '/requests').send(
      requestBody(`${RUN}-prod`, { environment: 'production' }),
    );
    expect(created.body.state).toBe('pending-approval');
    const held = (await api('get', `/requests/${created.body.id}`)).body;
    expect(held.approval.reason).toMatch(
      /production database clusters need a platform-team approval/,
    );
    await expect(readCluster(`${RUN}-prod`)).rejects.toThrow();
  });

  it('deletes the Cluster, and deleting again finds nothing to do', async () => {
    expect((await api('delete', `/requests/${ordersId}`)).status).toBe(202);
    await waitForState(ordersId, 'deleted');
    const gone = await readCluster(ORDERS).then(
      () => 'exists',
      error => error.code,
    );
    expect(gone).toBe(404);
  });
});

describe('the postgres-dedicated steps on a cluster without CloudNativePG', () => {
  const logged: string[] = [];

  afterAll(async () => {
    await requireTestCluster()
      .kubeConfig.makeApiClient(CoreV1Api)
      .deleteNamespace({ name: NAMESPACE })
      .catch(() => undefined);
  });
  const ctx = (name: string) =>
    directStepContext<CnpgParameters>({
      request: {
        id: 'request-1',
        type: 'postgres-dedicated',
        name,
        owner: OWNER,
        parameters: { instances: 1, storageGi: 1, environment: 'development' },
        createdBy: BOB,
      },
      logger: {
        ...mockServices.logger.mock(),
        info: (message: string) => logged.push(message),
      },
    });

  it('fails provisioning at once, and destroys without error', async () => {
    const cluster = requireTestCluster();
    const settings = readCnpgConfig(
      mockServices.rootConfig({
        data: {
          provisioning: {
            cnpg: {
              kubernetes: { kubeconfigPath: cluster.portalKubeconfigPath },
            },
          },
        },
      }),
    )!;
    // A version of the group that no API server serves stands for a missing CRD.
    const type = createCnpgResourceType({
      config: settings,
      clusters: new CnpgClusters(
        kubeConfigOf(settings.kubernetes),
        'postgresql.cnpg.io/v0absent',
      ),
    });
    const name = `${RUN}-nocrd`;
    await expect(type.provision(ctx(name))).rejects.toMatchObject({
      name: 'NonRetryableError',
      message: expect.stringMatching(
        /^this cluster does not run CloudNativePG/,
      ),
    });
    await expect(type.destroy(ctx(name))).resolves.toBeUndefined();
    expect(logged.join('\n')).toMatch(
      /Nothing to delete: this cluster does not run CloudNativePG/,
    );
  });
});

describe('the module without provisioning.cnpg', () => {
  it('registers no type and says why', async () => {
    const backend = await startProvisioningBackend({
      features: [provisioningPlugin, provisioningModuleCnpg],
      config: {},
    });
    try {
      const { listedType } = provisioningApi(() => backend.server, BOB);
      expect(await listedType('postgres-dedicated')).toBeUndefined();
    } finally {
      await backend.stop();
    }
  });
});

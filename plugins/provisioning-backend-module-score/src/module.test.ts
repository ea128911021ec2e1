/*
 * The workload type end to end: the real provisioning plugin (HTTP API, worker) on a
 * real PostgreSQL database, the environments and postgres modules and this one, the
 * databases made on the test run's PostgreSQL server, and the workloads applied to
 * the real Kubernetes API server of the test cluster (kwok nodes run the pods) as the
 * portal's RBAC-limited identity. Fails (never skips) without the cluster or the
 * PostgreSQL server.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AppsV1Api, CoreV1Api, V1Deployment } from '@kubernetes/client-node';
import {
  readSecret,
  requireTestCluster,
  portalKubernetesConfig,
  waitFor,
} from '@paved/kube-test-utils';
// The real engine and the types a workload uses, in tests only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import provisioningPlugin from '@paved/plugin-provisioning-backend';
import provisioningModuleEnvironments from '@paved/plugin-provisioning-backend-module-environments';
import provisioningModulePostgres from '@paved/plugin-provisioning-backend-module-postgres';
import {
  provisioningApi,
  provisioningTestBackend,
  requireTestPostgres,
  testWorkerConfig,
} from '@paved/test-utils';
import knexFactory from 'knex';
import { randomBytes } from 'node:crypto';
import {
  scoreResourceRequestName,
  workloadRequestName,
} from './workload/names';
import provisioningModuleScore from './index';

jest.setTimeout(240_000);

const RUN = `s${randomBytes(3).toString('hex')}`;
const OWNER = `group:default/${RUN}-team`;
const BOB = 'user:default/bob';
const ENV = `${RUN}-dev`;
const WORKLOAD = 'orders';
const WORKLOAD_REQUEST = workloadRequestName(WORKLOAD, ENV);
const DB_REQUEST = scoreResourceRequestName({
  workload: WORKLOAD,
  environment: ENV,
  resource: 'db',
});
/** A copy of the environment, e.g. a pull request's. */
const COPY = `${RUN}-pr-1`;
/** The pull-request environment the endpoint makes for pull request 2. */
const PR_ENV = `${RUN}-orders-pr-2`;
const PR_DB_REQUEST = scoreResourceRequestName({
  workload: WORKLOAD,
  environment: PR_ENV,
  resource: 'db',
});
const COPY_DB_REQUEST = scoreResourceRequestName({
  workload: WORKLOAD,
  environment: COPY,
  resource: 'db',
});

const score = (resources?: object) => ({
  apiVersion: 'score.dev/v1b1',
  metadata: { name: WORKLOAD },
  service: { ports: { http: { port: 8080 } } },
  containers: {
    main: {
      image: '.',
      variables: {
        DATABASE_HOST: '${resources.db.host}',
        DATABASE_NAME: '${resources.db.name}',
        DATABASE_PASSWORD: '${resources.db.password}',
      },
      ...(resources ? { resources } : {}),
    },
  },
  resources: { db: { type: 'postgres' } },
});

describe('the workload resource type, end to end', () => {
  const pg = requireTestPostgres();
  const cluster = requireTestCluster();
  const apps = cluster.kubeConfig.makeApiClient(AppsV1Api);
  const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  const testBackend = provisioningTestBackend();
  const provisioning = provisioningApi(testBackend.server, BOB);
  const { api } = provisioning;
  const figures: string[] = [];

  beforeAll(async () => {
    const kubernetes = portalKubernetesConfig(cluster);
    await testBackend.start({
      features: [
        provisioningPlugin,
        provisioningModuleEnvironments,
        provisioningModulePostgres,
        provisioningModuleScore,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: `${RUN}-orders`,
                namespace: 'default',
                annotations: {
                  'github.com/project-slug': `acme/${RUN}-orders`,
                  'paved.dev/image': 'ghcr.io/acme/orders',
                  'paved.dev/pr-environment-source': ENV,
                },
              },
              spec: {
                type: 'service',
                lifecycle: 'production',
                owner: `${RUN}-team`,
              },
            },
          ],
        }),
      ],
      config: {
        provisioning: {
          worker: testWorkerConfig({ observeIntervalMs: 100 }),
          environments: { ingressNamespace: 'ingress', kubernetes },
          postgres: {
            targets: [
              {
                id: 'main',
                host: pg.host,
                port: pg.port,
                adminUser: pg.user,
                adminPassword: pg.password,
                sslMode: 'disable',
                default: true,
              },
            ],
            deletionRetention: { milliseconds: 1_000 },
            kubernetes,
          },
          score: { kubernetes },
        },
      },
    });
  });

  afterAll(async () => {
    // eslint-disable-next-line no-console
    console.log(figures.join('\n'));
    for (const name of [ENV, COPY, PR_ENV]) {
      await core.deleteNamespace({ name }).catch(() => undefined);
    }
    // The postgres type drops a deleted database after its retention, on a schedule
    // this test does not run: drop what it made here.
    const admin = knexFactory({
      client: 'pg',
      connection: {
        host: pg.host,
        port: pg.port,
        user: pg.user,
        password: pg.password,
        database: 'postgres',
      },
    });
    try {
      for (const request of [DB_REQUEST, COPY_DB_REQUEST, PR_DB_REQUEST]) {
        const name = request.replace(/-/g, '_');
        await admin.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        for (const role of [`${name}_rw`, `${name}_ro`]) {
          await admin.raw(`DROP ROLE IF EXISTS "${role}"`);
        }
      }
    } finally {
      await admin.destroy();
    }
  });

  const waitForState = (id: string, state: string) =>
    provisioning.waitForState(id, state, { idle: true, timeoutMs: 120_000 });

  const deploymentOf = () =>
    apps.readNamespacedDeployment({ name: WORKLOAD, namespace: ENV });
  const imageOf = (deployment: V1Deployment) =>
    deployment.spec!.template.spec!.containers[0].image;
  const postgresRequests = async () =>
    (await api('get', `/requests?type=postgres&name=${DB_REQUEST}`)).body
      .items as Array<{ id: string; state: string }>;

  /** Runs an action and waits until the request has no operation left; the operation. */
  async function runAction(id: string, action: string, input: object) {
    const started = await api('post', `/requests/${id}/actions/${action}`).send(
      {
        input,
        idempotencyKey: `${action}-${randomBytes(4).toString('hex')}`,
      },
    );
    expect(started.body.error?.message).toBeUndefined();
    expect(started.status).toBe(202);
    const details = await waitFor(
      `the ${action} of ${id} to finish`,
      async () => {
        const body = (await api('get', `/requests/${id}`)).body;
        const operation = body.operations.find(
          (o: { id: string }) => o.id === started.body.id,
        );
        return operation &&
          ['succeeded', 'failed'].includes(operation.status) &&
          !body.activeOperation
          ? { request: body, operation }
          : undefined;
      },
      { timeoutMs: 120_000 },
    );
    return details;
  }

  let environmentId: string;
  let workloadId: string;
  let dbId: string;
  let password: string;

  it('deploys a workload with a database into an environment: the database is made and attached, its password a Secret reference, the pods Running', async () => {
    const environment = await api('post', '/requests').send({
      type: 'environment',
      name: ENV,
      owner: OWNER,
      parameters: {},
    });
    expect(environment.body.error?.message).toBeUndefined();
    environmentId = environment.body.id;
    await waitForState(environmentId, 'ready');

    const started = Date.now();
    const created = await api('post', '/requests').send({
      type: 'workload',
      name: WORKLOAD_REQUEST,
      owner: OWNER,
      parameters: {
        component: `component:default/${RUN}-orders`,
        environmentName: ENV,
        image: 'ghcr.io/acme/orders:1.0.0',
        gitRef: 'v1',
        commitTime: '2026-12-01T10:00:00Z',
        workload: score(),
      },
    });
    expect(created.body.error?.message).toBeUndefined();
    expect(created.status).toBe(201);
    workloadId = created.body.id;
    const ready = await waitForState(workloadId, 'ready');
    figures.push(
      `first deploy (database made, rollout) → ready: ${
        Date.now() - started
      } ms`,
    );

    const [db] = await postgresRequests();
    dbId = db.id;
    const dbDetails = (await api('get', `/requests/${dbId}`)).body;
    expect(dbDetails).toMatchObject({
      state: 'ready',
      owner: OWNER,
      createdBy: 'plugin:provisioning',
      parameters: { environmentName: ENV },
      outputs: { secretNamespace: ENV, secretName: `${DB_REQUEST}-postgres` },
    });
    expect(ready.outputs).toMatchObject({
      namespace: ENV,
      workload: WORKLOAD,
      image: 'ghcr.io/acme/orders:1.0.0',
      stage: 'development',
      resources: { db: dbId },
      catalogAnnotations: {
        'backstage.io/kubernetes-namespace': ENV,
        'backstage.io/kubernetes-label-selector': `paved.dev/workload=${WORKLOAD}`,
      },
    });

    // Attached to the environment: its status lists the database and the workload.
    const status = await api('get', `/requests/${environment.body.id}/status`);
    const attached = status.body.sections.find(
      (s: { title: string }) => s.title === 'Attached resources',
    );
    expect(attached.table.rows).toEqual(
      expect.arrayContaining([
        expect.arrayContaining(['postgres', DB_REQUEST, 'ready']),
        expect.arrayContaining(['workload', WORKLOAD_REQUEST, 'ready']),
      ]),
    );

    const deployment = await deploymentOf();
    expect(imageOf(deployment)).toBe('ghcr.io/acme/orders:1.0.0');
    const env = deployment.spec!.template.spec!.containers[0].env;
    expect(env).toEqual(
      expect.arrayContaining([
        {
          name: 'DATABASE_PASSWORD',
          valueFrom: {
            secretKeyRef: { name: `${DB_REQUEST}-postgres`, key: 'password' },
          },
        },
        expect.objectContaining({ name: 'DATABASE_HOST', value: pg.host }),
      ]),
    );
    password = (
      await readSecret(cluster.kubeConfig, `${DB_REQUEST}-postgres`, ENV)
    ).data.password;
    expect(password.length).toBeGreaterThan(8);
    expect(JSON.stringify(deployment)).not.toContain(password);

    const pods = await core.listNamespacedPod({
      namespace: ENV,
      labelSelector: `paved.dev/workload=${WORKLOAD}`,
    });
    expect(pods.items.map(p => p.status?.phase)).toEqual(['Running']);

    const workloadStatus = await api('get', `/requests/${workloadId}/status`);
    expect(workloadStatus.body.sections[0]).toMatchObject({
      title: 'Deployment',
      items: expect.arrayContaining([
        { label: 'Ready replicas', value: '1/1' },
      ]),
    });
  });

  it('deploys a new image reusing the database, and rolls back to the previous version', async () => {
    let started = Date.now();
    const deployed = await runAction(workloadId, 'deploy', {
      image: 'ghcr.io/acme/orders:2.0.0',
      gitRef: 'v2',
      workload: score(),
    });
    figures.push(`deploy of a new image → ready: ${Date.now() - started} ms`);
    expect(deployed.operation.status).toBe('succeeded');
    expect(deployed.request.outputs.image).toBe('ghcr.io/acme/orders:2.0.0');
    expect(imageOf(await deploymentOf())).toBe('ghcr.io/acme/orders:2.0.0');
    // The same database, not a second one.
    expect((await postgresRequests()).map(r => r.id)).toEqual([dbId]);

    started = Date.now();
    const rolledBack = await runAction(workloadId, 'rollback', {});
    figures.push(`rollback → ready: ${Date.now() - started} ms`);
    expect(rolledBack.operation.status).toBe('succeeded');
    expect(rolledBack.request.outputs.image).toBe('ghcr.io/acme/orders:1.0.0');
    expect(imageOf(await deploymentOf())).toBe('ghcr.io/acme/orders:1.0.0');

    const records = await testBackend
      .database()('workload_deployments')
      .where({ request_id: workloadId })
      .orderBy('started_at');
    expect(records.map(r => [r.kind, r.status, r.image, r.created_by])).toEqual(
      [
        ['deploy', 'succeeded', 'ghcr.io/acme/orders:1.0.0', BOB],
        ['deploy', 'succeeded', 'ghcr.io/acme/orders:2.0.0', BOB],
        ['rollback', 'succeeded', 'ghcr.io/acme/orders:1.0.0', BOB],
      ],
    );
    expect(records[2].rollback_of).toBe(records[0].id);
  });

  it('reports a rollout the quota refuses with its reasons; the workload stays ready on the version before', async () => {
    const started = Date.now();
    const failed = await runAction(workloadId, 'deploy', {
      image: 'ghcr.io/acme/orders:3.0.0',
      workload: score({
        requests: { cpu: '3', memory: '64Mi' },
        limits: { cpu: '3', memory: '64Mi' },
      }),
    });
    figures.push(
      `failing rollout (quota) → reported: ${Date.now() - started} ms`,
    );
    expect(failed.operation.status).toBe('failed');
    expect(failed.operation.lastError).toMatch(/exceeded quota/);
    expect(failed.request.state).toBe('ready');
    expect(failed.request.outputs.image).toBe('ghcr.io/acme/orders:1.0.0');

    const [record] = await testBackend
      .database()('workload_deployments')
      .where({ request_id: workloadId })
      .orderBy('started_at', 'desc');
    expect(record).toMatchObject({
      status: 'failed',
      image: 'ghcr.io/acme/orders:3.0.0',
    });
    expect(record.reason).toMatch(/exceeded quota/);
  });

  it('keeps the password out of every record, output and log', async () => {
    await testBackend.expectSecretsKeptOut({
      secrets: [password],
      requestIds: [workloadId, dbId],
      user: BOB,
    });
  });

  it("is copied with its environment: the copy's workload runs on the copy's own database, made once", async () => {
    const started = Date.now();
    const copy = await api('post', '/requests').send({
      type: 'environment',
      name: COPY,
      owner: OWNER,
      parameters: { source: ENV },
    });
    expect(copy.body.error?.message).toBeUndefined();
    const copyReady = await waitForState(copy.body.id, 'ready');
    expect(copyReady.outputs.attachedResources).toEqual([
      { type: 'postgres', name: COPY_DB_REQUEST, seeded: false },
      {
        type: 'workload',
        name: workloadRequestName(WORKLOAD, COPY),
        seeded: false,
      },
    ]);
    // The workload's objects are not cloned: the copied workload renders its own.
    expect(copyReady.outputs.clonedObjects).toBe(0);

    const copied = (
      await api(
        'get',
        `/requests?type=workload&name=${workloadRequestName(WORKLOAD, COPY)}`,
      )
    ).body.items[0];
    const ready = await waitForState(copied.id, 'ready');
    figures.push(
      `environment copy with a workload and its database → workload ready: ${
        Date.now() - started
      } ms`,
    );
    const databases = (
      await api('get', '/requests?type=postgres&limit=100')
    ).body.items.filter(
      (r: { parameters: { environmentName?: string }; state: string }) =>
        r.parameters.environmentName === COPY && r.state !== 'deleted',
    );
    expect(databases.map((r: { name: string }) => r.name)).toEqual([
      COPY_DB_REQUEST,
    ]);
    expect(ready.parameters.copiedFrom).toEqual({
      environment: ENV,
      resources: { db: DB_REQUEST },
    });
    expect(ready.outputs.resources).toEqual({ db: databases[0].id });

    const deployment = await apps.readNamespacedDeployment({
      name: WORKLOAD,
      namespace: COPY,
    });
    expect(deployment.metadata?.labels?.['paved.dev/cloned-from']).toBe(
      undefined,
    );
    expect(deployment.spec!.template.spec!.containers[0].env).toEqual(
      expect.arrayContaining([
        {
          name: 'DATABASE_PASSWORD',
          valueFrom: {
            secretKeyRef: {
              name: `${COPY_DB_REQUEST}-postgres`,
              key: 'password',
            },
          },
        },
      ]),
    );

    await api('delete', `/requests/${copy.body.id}`);
    await waitFor(
      'the copy, its workload and its database to be deleted',
      async () => {
        const states = await Promise.all(
          [copy.body.id, copied.id, databases[0].id].map(
            async id => (await api('get', `/requests/${id}`)).body.state,
          ),
        );
        return states.every(state => state === 'deleted') || undefined;
      },
      { timeoutMs: 120_000 },
    );
  });

  it("runs a pull request's image through the deployments path, in a copy with a database of its own; deletes it all on close", async () => {
    const ci = (body: object) =>
      api(
        'post',
        '/environments/pull-requests',
        mockCredentials.service.header(),
      ).send({ repository: `acme/${RUN}-orders`, number: 2, ...body });
    const prWorkload = workloadRequestName(WORKLOAD, PR_ENV);
    const imageIn = async () =>
      imageOf(
        await apps.readNamespacedDeployment({
          name: WORKLOAD,
          namespace: PR_ENV,
        }),
      );

    let started = Date.now();
    const opened = await ci({ action: 'opened', imageTag: 'pr-2-a' });
    expect(opened.body.error?.message).toBeUndefined();
    expect(opened.status).toBe(202);
    expect(opened.body).toMatchObject({
      environment: PR_ENV,
      changed: true,
      deployment: { requestId: expect.any(String) },
    });
    const workloadRequest = opened.body.deployment.requestId;
    const deployed = await waitForState(workloadRequest, 'ready');
    figures.push(
      `pull request opened (copy, database, deploy) → PR image running: ${
        Date.now() - started
      } ms`,
    );
    expect(deployed).toMatchObject({
      name: prWorkload,
      parameters: { environmentName: PR_ENV, copiedFrom: { environment: ENV } },
      outputs: { image: 'ghcr.io/acme/orders:pr-2-a' },
    });
    expect(await imageIn()).toBe('ghcr.io/acme/orders:pr-2-a');
    const environment = (await api('get', `/requests/${opened.body.requestId}`))
      .body;
    expect(environment.parameters.image).toBeUndefined();
    expect(environment.outputs.attachedResources).toEqual([
      { type: 'postgres', name: PR_DB_REQUEST, seeded: false },
      { type: 'workload', name: prWorkload, seeded: false },
    ]);
    const db = (
      await api('get', `/requests?type=postgres&name=${PR_DB_REQUEST}`)
    ).body.items[0];
    expect(deployed.outputs.resources).toEqual({ db: db.id });
    // A re-run of the CI job changes nothing.
    const again = await ci({ action: 'opened', imageTag: 'pr-2-a' });
    expect(again.body).toMatchObject({
      changed: false,
      deployment: { requestId: workloadRequest },
    });

    started = Date.now();
    const pushed = await ci({ action: 'synchronize', imageTag: 'pr-2-b' });
    expect(pushed.body).toMatchObject({
      changed: true,
      deployment: { requestId: workloadRequest },
    });
    const repeated = await ci({ action: 'synchronize', imageTag: 'pr-2-b' });
    expect(repeated.body.deployment.operationId).toBe(
      pushed.body.deployment.operationId,
    );
    await waitFor(
      'the new image to run',
      async () =>
        (await imageIn()) === 'ghcr.io/acme/orders:pr-2-b' || undefined,
      { timeoutMs: 60_000 },
    );
    await waitForState(workloadRequest, 'ready');
    figures.push(
      `pull request pushed → new image running: ${Date.now() - started} ms`,
    );
    const records = await testBackend
      .database()('workload_deployments')
      .where({ request_id: workloadRequest })
      .orderBy('started_at');
    expect(records.map(r => [r.image, r.status])).toEqual([
      ['ghcr.io/acme/orders:1.0.0', 'succeeded'],
      ['ghcr.io/acme/orders:pr-2-a', 'succeeded'],
      ['ghcr.io/acme/orders:pr-2-b', 'succeeded'],
    ]);

    const closed = await ci({ action: 'closed' });
    expect(closed.body).toMatchObject({ environment: PR_ENV, changed: true });
    await waitFor(
      'the environment, its workload and its database to be deleted',
      async () => {
        const states = await Promise.all(
          [opened.body.requestId, workloadRequest, db.id].map(
            async id => (await api('get', `/requests/${id}`)).body.state,
          ),
        );
        return states.every(state => state === 'deleted') || undefined;
      },
      { timeoutMs: 120_000 },
    );
  });

  it('is deleted with its environment, its database too', async () => {
    const started = Date.now();
    const deleted = await api('delete', `/requests/${environmentId}`);
    expect(deleted.status).toBeLessThan(300);
    await waitFor(
      'the environment, the workload and the database to be deleted',
      async () => {
        const states = await Promise.all(
          [environmentId, workloadId, dbId].map(
            async id => (await api('get', `/requests/${id}`)).body.state,
          ),
        );
        if (states.includes('failed')) {
          throw new Error(`a deletion failed: ${states.join(', ')}`);
        }
        return states.every(s => s === 'deleted') || undefined;
      },
      { timeoutMs: 120_000 },
    );
    figures.push(
      `environment deletion (workload, database) → deleted: ${
        Date.now() - started
      } ms`,
    );
    expect((await postgresRequests()).map(r => r.state)).toEqual(['deleted']);
    await expect(deploymentOf()).rejects.toThrow();
  });
});

/*
 * Resources attached to environments, end to end: the real provisioning plugin (HTTP
 * API, worker), this module and the postgres module, a real PostgreSQL server as the
 * databases' target (with backups in a folder), and the real Kubernetes API server of
 * the test cluster, written to as the portal's RBAC-limited identity. A second
 * attachable type, declared here (a queue stand-in that writes a Secret and nothing
 * else), shows that environments hold any type that declares `environmentCopy`.
 * Fails (never skips) without the cluster or the PostgreSQL server.
 */
import {
  mockCredentials,
  mockServices,
  TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CoreV1Api } from '@kubernetes/client-node';
import {
  loadKubeConfig,
  portalKubernetesConfig,
  requireTestCluster,
  statusCodeOf,
  waitFor,
} from '@paved/kube-test-utils';
// The real engine and the database type the module works with, in tests only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import provisioningPlugin from '@paved/plugin-provisioning-backend';
import provisioningModulePostgres from '@paved/plugin-provisioning-backend-module-postgres';
import {
  deliveryNamespace,
  environmentNameSchema,
  environmentReferences,
  recordedDeliveryNamespace,
  ReferencedRequest,
  RequestLookup,
  ResourceType,
  SecretWriter,
} from '@paved/plugin-provisioning-node';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import {
  provisioningApi,
  requireTestPostgres,
  standInResourceTypes,
  startProvisioningBackend,
  testWorkerConfig,
} from '@paved/test-utils';
import { copyAttachedResources } from './copyAttachedResources';
import { provisioningCalls } from './provisioningApi/HttpProvisioningCalls';
import provisioningModuleEnvironments from './index';

jest.setTimeout(180_000);

const RUN = `e${randomBytes(3).toString('hex')}`;
const OWNER = `group:default/${RUN}-team`;
const BOB = 'user:default/bob';
const MAIN = `${RUN}-main`;
const SEEDED = `${RUN}-seeded`;
const EMPTY = `${RUN}-empty`;
const SOURCE_DB = `${MAIN}-orders`;
const SOURCE_QUEUE = `${MAIN}-jobs`;
const BACKUPS = mkdtempSync(join(tmpdir(), 'paved-env-backups-'));

/** The stand-in type's id. */
const QUEUE = 'test-queue';
/** Names of stand-in queues that `observe` keeps not ready until the test lets go. */
const held = new Set<string>();
/** The engine's request lookup, as the stand-in's steps got it. */
let engineRequests: RequestLookup | undefined;

/**
 * A queue stand-in that opts in to environments as a real type does: the
 * `environmentName` parameter, its references, its Secret where `deliveryNamespace`
 * says, and `environmentCopy` without a seed action (copies start empty).
 */
function standInQueueType(
  secrets: SecretWriter,
): ResourceType<{ maxLength: number; environmentName?: string }> {
  return {
    id: QUEUE,
    title: 'Test queue',
    description: 'A queue stand-in for the environment attachment tests',
    parameters: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxLength: { type: 'integer', minimum: 1, default: 100 },
        environmentName: environmentNameSchema('queue'),
      },
    },
    references: environmentReferences,
    environmentCopy: {},
    async provision(ctx) {
      engineRequests = ctx.requests;
      const { namespace } = await deliveryNamespace(ctx);
      const secretName = `${ctx.request.name}-queue`;
      const uid = await secrets.applySecret({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: secretName,
          namespace,
          labels: { 'paved.dev/request-id': ctx.request.id },
        },
        stringData: { queue: ctx.request.name },
      });
      await ctx.setOutput('secretName', secretName);
      await ctx.setOutput('secretNamespace', namespace);
      await ctx.setOutput('secretUid', uid);
    },
    async observe(ctx) {
      return held.has(ctx.request.name)
        ? { ready: false, message: 'held by the test' }
        : { ready: true };
    },
    async destroy(ctx) {
      const { secretName, secretUid } = ctx.outputs;
      if (typeof secretName === 'string') {
        await secrets.deleteSecret({
          name: secretName,
          namespace: recordedDeliveryNamespace(ctx).namespace,
          uid: typeof secretUid === 'string' ? secretUid : undefined,
        });
      }
    },
  };
}

/** psql, from PAVED_PG_BIN when set, as the postgres module's backups find pg_dump. */
const PSQL =
  process.env.PAVED_PG_BIN && existsSync(join(process.env.PAVED_PG_BIN, 'psql'))
    ? join(process.env.PAVED_PG_BIN, 'psql')
    : 'psql';

async function psql(uri: string, sql: string): Promise<string> {
  const { stdout } = await promisify(execFile)(PSQL, [
    uri,
    '-X',
    '-At',
    '-v',
    'ON_ERROR_STOP=1',
    '-c',
    sql,
  ]);
  return stdout.trim();
}

describe('resources attached to environments', () => {
  const pg = requireTestPostgres();
  const cluster = requireTestCluster();
  const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  const namespaces = new Set<string>();
  let backend: TestBackend;

  beforeAll(async () => {
    const kubernetes = portalKubernetesConfig(cluster);
    backend = await startProvisioningBackend({
      features: [
        provisioningPlugin,
        provisioningModuleEnvironments,
        provisioningModulePostgres,
        standInResourceTypes('test-queues', [
          standInQueueType(
            new SecretWriter(loadKubeConfig(cluster.portalKubeconfigPath)),
          ),
        ]),
        catalogServiceMock.factory({ entities: [] }),
      ],
      config: {
        provisioning: {
          worker: testWorkerConfig({ observeIntervalMs: 200 }),
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
            backups: { store: { type: 'folder', path: BACKUPS }, keep: 5 },
            kubernetes,
          },
        },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await Promise.all(
      [...namespaces].map(name =>
        core.deleteNamespace({ name }).catch(() => undefined),
      ),
    );
    const admin = `postgresql://${encodeURIComponent(
      pg.user,
    )}:${encodeURIComponent(pg.password)}@${pg.host}:${pg.port}/postgres`;
    const databases = await psql(
      admin,
      `SELECT datname FROM pg_database WHERE datname LIKE '${RUN}%'`,
    ).catch(() => '');
    for (const database of databases.split('\n').filter(Boolean)) {
      await psql(admin, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    }
    const roles = await psql(
      admin,
      `SELECT rolname FROM pg_roles WHERE rolname LIKE '${RUN}%'`,
    ).catch(() => '');
    for (const role of roles.split('\n').filter(Boolean)) {
      await psql(admin, `DROP ROLE IF EXISTS "${role}"`);
    }
    rmSync(BACKUPS, { recursive: true, force: true });
  });

  const provisioning = provisioningApi(() => backend.server, BOB);
  const api = provisioning.api;
  const waitForState = (id: string, state: string) =>
    provisioning.waitForState(id, state, { idle: true, timeoutMs: 90_000 });

  async function create(type: string, name: string, parameters: object) {
    const response = await api('post', '/requests').send({
      type,
      name,
      owner: OWNER,
      parameters,
    });
    expect(response.body.error?.message).toBeUndefined();
    expect(response.status).toBe(201);
    return response.body.id as string;
  }

  const requestsOf = async (type: string, name: string) =>
    (await api('get', `/requests?type=${type}&name=${name}`)).body
      .items as ReferencedRequest[];
  const postgresRequests = (name: string) => requestsOf('postgres', name);
  const queueRequests = (name: string) => requestsOf(QUEUE, name);

  async function secretData(name: string, namespace: string) {
    const secret = await core.readNamespacedSecret({ name, namespace });
    return {
      secret,
      uri: Buffer.from(secret.data!.uri, 'base64').toString('utf8'),
    };
  }

  const secretNames = async (namespace: string) =>
    (await core.listNamespacedSecret({ namespace })).items
      .map(s => s.metadata?.name)
      .sort();

  const namespaceCode = (name: string) =>
    core.readNamespace({ name }).then(
      () => 200,
      error => statusCodeOf(error),
    );

  let mainId: string;
  let sourceDbId: string;
  let sourceQueueId: string;
  let sourceUri: string;
  let seededId: string;

  it("attaches a database and a resource of another type to an environment: their Secrets go into the environment's namespace", async () => {
    namespaces.add(MAIN);
    mainId = await create('environment', MAIN, {});
    await waitForState(mainId, 'ready');

    sourceDbId = await create('postgres', SOURCE_DB, {
      environmentName: MAIN,
    });
    sourceQueueId = await create(QUEUE, SOURCE_QUEUE, {
      maxLength: 7,
      environmentName: MAIN,
    });
    const ready = await waitForState(sourceDbId, 'ready');
    expect(ready.parameters).toMatchObject({
      target: 'main',
      environment: 'development',
      environmentName: MAIN,
    });
    expect(ready.outputs).toMatchObject({
      secretName: `${SOURCE_DB}-postgres`,
      secretNamespace: MAIN,
    });
    const queue = await waitForState(sourceQueueId, 'ready');
    expect(queue.outputs).toMatchObject({
      secretName: `${SOURCE_QUEUE}-queue`,
      secretNamespace: MAIN,
    });
    expect(await secretNames(MAIN)).toEqual([
      `${SOURCE_QUEUE}-queue`,
      `${SOURCE_DB}-postgres`,
    ]);
    sourceUri = (await secretData(`${SOURCE_DB}-postgres`, MAIN)).uri;
    await psql(
      sourceUri,
      "CREATE TABLE items (id serial PRIMARY KEY, item text); INSERT INTO items (item) SELECT 'item ' || g FROM generate_series(1, 12) g",
    );

    // An environment that does not exist is refused, naming the field, for either type.
    for (const type of ['postgres', QUEUE]) {
      const refused = await request(backend.server)
        .post('/api/provisioning/requests')
        .set('authorization', mockCredentials.user.header(BOB))
        .send({
          type,
          name: `${RUN}-nowhere-${type}`,
          owner: OWNER,
          parameters: { environmentName: `${RUN}-nowhere` },
        });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toMatch(/parameters\.environmentName/);
    }

    const status = await api('get', `/requests/${mainId}/status`);
    expect(
      status.body.sections.find(
        (s: { title: string }) => s.title === 'Attached resources',
      ),
    ).toEqual({
      title: 'Attached resources',
      table: {
        columns: ['Type', 'Name', 'State', 'Secret'],
        rows: [
          ['postgres', SOURCE_DB, 'ready', `${SOURCE_DB}-postgres`],
          [QUEUE, SOURCE_QUEUE, 'ready', `${SOURCE_QUEUE}-queue`],
        ],
      },
    });
  });

  it('copies an environment with fresh resources of its own: the database seeded from a fresh dump, the queue empty; waits for both; never copies a Secret', async () => {
    namespaces.add(SEEDED);
    const copyDb = `${SEEDED}-orders`;
    const copyQueue = `${SEEDED}-jobs`;
    // The copy is not ready while one of its resources is not.
    held.add(copyQueue);
    seededId = await create('environment', SEEDED, {
      source: MAIN,
      seedDatabases: true,
    });
    const waiting = `attached resource(s) ready; waiting for ${QUEUE} '${copyQueue}' (provisioning)`;
    await waitFor(
      'the copy to wait for its queue',
      async () => {
        const details = (await api('get', `/requests/${seededId}`)).body;
        if (details.state === 'failed') {
          throw new Error(`copy failed: ${details.lastError}`);
        }
        return (
          details.timeline.some(
            (e: { type: string; message: string }) =>
              e.type === 'waiting' && e.message.includes(waiting),
          ) || undefined
        );
      },
      { timeoutMs: 90_000 },
    );
    expect((await api('get', `/requests/${seededId}`)).body.state).toBe(
      'provisioning',
    );
    held.delete(copyQueue);
    const ready = await waitForState(seededId, 'ready');
    expect(ready.outputs).toMatchObject({
      namespace: SEEDED,
      clonedFrom: MAIN,
      attachedResources: [
        { type: 'postgres', name: copyDb, seeded: true },
        // The stand-in has no seed action: copied empty.
        { type: QUEUE, name: copyQueue, seeded: false },
      ],
    });

    const [copy] = await postgresRequests(copyDb);
    expect(copy).toMatchObject({
      state: 'ready',
      owner: OWNER,
      createdBy: 'plugin:provisioning',
      parameters: {
        target: 'main',
        environment: 'development',
        environmentName: SEEDED,
        restoreFrom: { database: SOURCE_DB },
      },
      outputs: { secretNamespace: SEEDED, secretName: `${copyDb}-postgres` },
    });
    expect(copy.id).not.toBe(sourceDbId);
    const [queueCopy] = await queueRequests(copyQueue);
    expect(queueCopy).toMatchObject({
      state: 'ready',
      owner: OWNER,
      createdBy: 'plugin:provisioning',
      // The source's parameters, attached to the copy.
      parameters: { maxLength: 7, environmentName: SEEDED },
      outputs: { secretNamespace: SEEDED, secretName: `${copyQueue}-queue` },
    });
    expect(queueCopy.id).not.toBe(sourceQueueId);

    // The copy's namespace holds the copies' Secrets only: the source's were not copied.
    expect(await secretNames(SEEDED)).toEqual([
      `${copyQueue}-queue`,
      `${copyDb}-postgres`,
    ]);
    const { secret, uri } = await secretData(`${copyDb}-postgres`, SEEDED);
    expect(secret.metadata?.labels?.['paved.dev/request-id']).toBe(copy.id);
    expect(uri).not.toBe(sourceUri);

    // Its own database, with the source's rows.
    const rows = "SELECT string_agg(id || item, ',' ORDER BY id) FROM items";
    expect(await psql(uri, rows)).toBe(await psql(sourceUri, rows));
    expect(await psql(uri, 'SELECT current_database()')).toBe(
      copyDb.replace(/-/g, '_'),
    );
    await psql(uri, "INSERT INTO items (item) VALUES ('copy only')");
    expect(await psql(sourceUri, 'SELECT count(*) FROM items')).toBe('12');

    // The source database's Back up now ran once, for this copy.
    const source = await api('get', `/requests/${sourceDbId}`);
    const backups = source.body.operations.filter(
      (o: { action?: string }) => o.action === 'backup-now',
    );
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatchObject({
      status: 'succeeded',
      createdBy: 'plugin:provisioning',
    });

    // The copy lists its own resources, not the source's.
    const status = await api('get', `/requests/${seededId}/status`);
    expect(
      status.body.sections.find(
        (s: { title: string }) => s.title === 'Attached resources',
      )?.table.rows,
    ).toEqual([
      ['postgres', copyDb, 'ready', `${copyDb}-postgres`],
      [QUEUE, copyQueue, 'ready', `${copyQueue}-queue`],
    ]);
  });

  it('running the clone phase again creates no second request and no second backup', async () => {
    const address = backend.server.address() as AddressInfo;
    const calls = provisioningCalls({
      discovery: {
        getBaseUrl: async id => `http://localhost:${address.port}/api/${id}`,
        getExternalBaseUrl: async id =>
          `http://localhost:${address.port}/api/${id}`,
      },
      auth: mockServices.auth({ pluginId: 'provisioning' }),
    });
    // The engine's own lookup, as a resumed provision step would get it.
    expect(engineRequests).toBeDefined();
    const again = await copyAttachedResources({
      calls,
      requests: engineRequests!,
      source: MAIN,
      environment: { id: seededId, name: SEEDED, owner: OWNER },
      seed: true,
      signal: new AbortController().signal,
      log: () => {},
    });
    expect(again).toEqual([
      { type: 'postgres', name: `${SEEDED}-orders`, seeded: true },
      { type: QUEUE, name: `${SEEDED}-jobs`, seeded: false },
    ]);
    expect(await postgresRequests(`${SEEDED}-orders`)).toHaveLength(1);
    expect(await queueRequests(`${SEEDED}-jobs`)).toHaveLength(1);
    const operations = (await api('get', `/requests/${sourceDbId}`)).body
      .operations;
    expect(
      operations.filter((o: { action?: string }) => o.action === 'backup-now'),
    ).toHaveLength(1);
  });

  it('copies without seeding: an empty database and queue of its own', async () => {
    namespaces.add(EMPTY);
    const id = await create('environment', EMPTY, { source: MAIN });
    const ready = await waitForState(id, 'ready');
    expect(ready.outputs.attachedResources).toEqual([
      { type: 'postgres', name: `${EMPTY}-orders`, seeded: false },
      { type: QUEUE, name: `${EMPTY}-jobs`, seeded: false },
    ]);
    const [copy] = await postgresRequests(`${EMPTY}-orders`);
    expect(copy.parameters.restoreFrom).toBeUndefined();
    const { uri } = await secretData(`${EMPTY}-orders-postgres`, EMPTY);
    expect(
      await psql(
        uri,
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
      ),
    ).toBe('0');
    const [queueCopy] = await queueRequests(`${EMPTY}-jobs`);
    await api('delete', `/requests/${id}`);
    await waitForState(id, 'deleted');
    expect((await api('get', `/requests/${copy.id}`)).body.state).toBe(
      'deleted',
    );
    expect((await api('get', `/requests/${queueCopy.id}`)).body.state).toBe(
      'deleted',
    );
  });

  it('deletes a copy: its attached resources first, then its namespace; the source keeps its own', async () => {
    const [copy] = await postgresRequests(`${SEEDED}-orders`);
    const [queueCopy] = await queueRequests(`${SEEDED}-jobs`);
    const response = await api('delete', `/requests/${seededId}`);
    expect(response.status).toBe(202);
    // Watch the order: the attached resources are gone while the namespace still stands.
    let attachedGoneFirst: boolean | undefined;
    await waitFor(
      'the copy to be deleted',
      async () => {
        const [db, queue, env, ns] = await Promise.all([
          api('get', `/requests/${copy.id}`),
          api('get', `/requests/${queueCopy.id}`),
          api('get', `/requests/${seededId}`),
          core.readNamespace({ name: SEEDED }).then(
            n => (n.metadata?.deletionTimestamp ? 'terminating' : 'active'),
            () => 'gone',
          ),
        ]);
        if (attachedGoneFirst === undefined && ns !== 'active') {
          attachedGoneFirst =
            db.body.state === 'deleted' && queue.body.state === 'deleted';
        }
        if (env.body.state === 'failed') {
          throw new Error(`delete failed: ${env.body.lastError}`);
        }
        return env.body.state === 'deleted' || undefined;
      },
      { timeoutMs: 90_000, intervalMs: 50 },
    );
    expect(attachedGoneFirst).toBe(true);
    expect(await namespaceCode(SEEDED)).toBe(404);
    expect((await api('get', `/requests/${copy.id}`)).body.state).toBe(
      'deleted',
    );
    expect((await api('get', `/requests/${queueCopy.id}`)).body.state).toBe(
      'deleted',
    );

    const [source] = await postgresRequests(SOURCE_DB);
    expect(source.state).toBe('ready');
    expect(await psql(sourceUri, 'SELECT count(*) FROM items')).toBe('12');
    const [sourceQueue] = await queueRequests(SOURCE_QUEUE);
    expect(sourceQueue.state).toBe('ready');
    expect(await secretNames(MAIN)).toEqual([
      `${SOURCE_QUEUE}-queue`,
      `${SOURCE_DB}-postgres`,
    ]);
  });

  it('deletes the source environment with its attached resources', async () => {
    await api('delete', `/requests/${mainId}`);
    await waitForState(mainId, 'deleted');
    expect((await api('get', `/requests/${sourceDbId}`)).body.state).toBe(
      'deleted',
    );
    expect((await api('get', `/requests/${sourceQueueId}`)).body.state).toBe(
      'deleted',
    );
    expect(await namespaceCode(MAIN)).toBe(404);
  });
});

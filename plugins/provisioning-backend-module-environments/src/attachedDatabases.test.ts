/*
 * Databases attached to environments, end to end: the real provisioning plugin (HTTP
 * API, worker), this module and the postgres module, a real PostgreSQL server as the
 * databases' target (with backups in a folder), and the real Kubernetes API server of
 * the test cluster, written to as the portal's RBAC-limited identity. Fails (never
 * skips) without the cluster or the PostgreSQL server.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CoreV1Api } from '@kubernetes/client-node';
import {
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
  inMemoryRequestLookup,
  ReferencedRequest,
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
  testWorkerConfig,
} from '@paved/test-utils';
import { copyAttachedDatabases } from './copyAttachedDatabases';
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
const BACKUPS = mkdtempSync(join(tmpdir(), 'paved-env-backups-'));

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

describe('databases attached to environments', () => {
  const pg = requireTestPostgres();
  const cluster = requireTestCluster();
  const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  const namespaces = new Set<string>();
  let backend: TestBackend;

  beforeAll(async () => {
    const kubernetes = portalKubernetesConfig(cluster);
    backend = await startTestBackend({
      features: [
        provisioningPlugin,
        provisioningModuleEnvironments,
        provisioningModulePostgres,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
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
        }),
      ],
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

  const postgresRequests = async (name: string) =>
    (await api('get', `/requests?type=postgres&name=${name}`)).body
      .items as ReferencedRequest[];

  async function secretData(name: string, namespace: string) {
    const secret = await core.readNamespacedSecret({ name, namespace });
    return {
      secret,
      uri: Buffer.from(secret.data!.uri, 'base64').toString('utf8'),
    };
  }

  const namespaceCode = (name: string) =>
    core.readNamespace({ name }).then(
      () => 200,
      error => statusCodeOf(error),
    );

  let mainId: string;
  let sourceDbId: string;
  let sourceUri: string;
  let seededId: string;

  it("attaches a database to an environment: its Secret goes into the environment's namespace", async () => {
    namespaces.add(MAIN);
    mainId = await create('environment', MAIN, {});
    await waitForState(mainId, 'ready');

    sourceDbId = await create('postgres', SOURCE_DB, {
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
    sourceUri = (await secretData(`${SOURCE_DB}-postgres`, MAIN)).uri;
    await psql(
      sourceUri,
      "CREATE TABLE items (id serial PRIMARY KEY, item text); INSERT INTO items (item) SELECT 'item ' || g FROM generate_series(1, 12) g",
    );

    // An environment that does not exist is refused, naming the field.
    const refused = await request(backend.server)
      .post('/api/provisioning/requests')
      .set('authorization', mockCredentials.user.header(BOB))
      .send({
        type: 'postgres',
        name: `${RUN}-nowhere-db`,
        owner: OWNER,
        parameters: { environmentName: `${RUN}-nowhere` },
      });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/parameters\.environmentName/);

    const status = await api('get', `/requests/${mainId}/status`);
    expect(
      status.body.sections.find(
        (s: { title: string }) => s.title === 'Databases',
      ),
    ).toEqual({
      title: 'Databases',
      table: {
        columns: ['Name', 'State', 'Secret'],
        rows: [[SOURCE_DB, 'ready', `${SOURCE_DB}-postgres`]],
      },
    });
  });

  it('copies an environment with its database seeded from a fresh dump: a new database request, never the Secret', async () => {
    namespaces.add(SEEDED);
    seededId = await create('environment', SEEDED, {
      source: MAIN,
      seedDatabases: true,
    });
    const ready = await waitForState(seededId, 'ready');
    const copyDb = `${SEEDED}-orders`;
    expect(ready.outputs).toMatchObject({
      namespace: SEEDED,
      clonedFrom: MAIN,
      attachedDatabases: [copyDb],
    });

    const [copy] = await postgresRequests(copyDb);
    expect(copy).toMatchObject({
      state: 'ready',
      owner: OWNER,
      parameters: {
        target: 'main',
        environment: 'development',
        environmentName: SEEDED,
        restoreFrom: { database: SOURCE_DB },
      },
      outputs: { secretNamespace: SEEDED, secretName: `${copyDb}-postgres` },
    });
    expect(copy.id).not.toBe(sourceDbId);

    // The copy's namespace holds the copy's Secret only: the source's was not copied.
    const secrets = (await core.listNamespacedSecret({ namespace: SEEDED }))
      .items;
    expect(secrets.map(s => s.metadata?.name)).toEqual([`${copyDb}-postgres`]);
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
    const [source] = await postgresRequests(SOURCE_DB);
    const again = await copyAttachedDatabases({
      calls,
      requests: inMemoryRequestLookup([source]),
      source: MAIN,
      environment: { id: seededId, name: SEEDED, owner: OWNER },
      seed: true,
      signal: new AbortController().signal,
      log: () => {},
    });
    expect(again).toEqual([`${SEEDED}-orders`]);
    expect(await postgresRequests(`${SEEDED}-orders`)).toHaveLength(1);
    const operations = (await api('get', `/requests/${sourceDbId}`)).body
      .operations;
    expect(
      operations.filter((o: { action?: string }) => o.action === 'backup-now'),
    ).toHaveLength(1);
  });

  it('copies without seeding: an empty database of its own', async () => {
    namespaces.add(EMPTY);
    const id = await create('environment', EMPTY, { source: MAIN });
    const ready = await waitForState(id, 'ready');
    expect(ready.outputs.attachedDatabases).toEqual([`${EMPTY}-orders`]);
    const [copy] = await postgresRequests(`${EMPTY}-orders`);
    expect(copy.parameters.restoreFrom).toBeUndefined();
    const { uri } = await secretData(`${EMPTY}-orders-postgres`, EMPTY);
    expect(
      await psql(
        uri,
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
      ),
    ).toBe('0');
    await api('delete', `/requests/${id}`);
    await waitForState(id, 'deleted');
  });

  it('deletes a copy: its database first, then its namespace; the source keeps its own', async () => {
    const [copy] = await postgresRequests(`${SEEDED}-orders`);
    const response = await api('delete', `/requests/${seededId}`);
    expect(response.status).toBe(202);
    // Watch the order: the database is gone while the namespace still stands.
    let databaseGoneFirst: boolean | undefined;
    await waitFor(
      'the copy to be deleted',
      async () => {
        const [db, env, ns] = await Promise.all([
          api('get', `/requests/${copy.id}`),
          api('get', `/requests/${seededId}`),
          core.readNamespace({ name: SEEDED }).then(
            n => (n.metadata?.deletionTimestamp ? 'terminating' : 'active'),
            () => 'gone',
          ),
        ]);
        if (databaseGoneFirst === undefined && ns !== 'active') {
          databaseGoneFirst = db.body.state === 'deleted';
        }
        if (env.body.state === 'failed') {
          throw new Error(`delete failed: ${env.body.lastError}`);
        }
        return env.body.state === 'deleted' || undefined;
      },
      { timeoutMs: 90_000, intervalMs: 50 },
    );
    expect(databaseGoneFirst).toBe(true);
    expect(await namespaceCode(SEEDED)).toBe(404);
    expect((await api('get', `/requests/${copy.id}`)).body.state).toBe(
      'deleted',
    );

    const [source] = await postgresRequests(SOURCE_DB);
    expect(source.state).toBe('ready');
    expect(await psql(sourceUri, 'SELECT count(*) FROM items')).toBe('12');
  });

  it('deletes the source environment with its database', async () => {
    await api('delete', `/requests/${mainId}`);
    await waitForState(mainId, 'deleted');
    expect((await api('get', `/requests/${sourceDbId}`)).body.state).toBe(
      'deleted',
    );
    expect(await namespaceCode(MAIN)).toBe(404);
  });
});

/*
 * The postgres resource type end to end: the real provisioning plugin (HTTP API,
 * worker, its tables on PostgreSQL), this module, a real PostgreSQL server as the
 * target and the real Kubernetes API server, written to as the portal's RBAC-limited
 * identity. Needs what ./paved test starts; fails (never skips) without it.
 */
import { mockServices } from '@backstage/backend-test-utils';
import {
  CoreV1Api,
  KubernetesObject,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import { loadKubeConfig as kubeConfigOf } from '@paved/kubernetes-access';
import {
  installPrometheusRuleCrd,
  portalKubernetesConfig,
  readSecret as readSecretWith,
  requireTestCluster,
  secretStatus,
  statusCodeOf,
  TestCluster,
} from '@paved/kube-test-utils';
// The real engine the module plugs into, in tests only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import provisioningPlugin from '@paved/plugin-provisioning-backend';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, escapeIdentifier as ident } from 'pg';
import {
  directStepContext,
  expectDocumentedParameters,
  expectRequestSecret,
  provisioningApi,
  provisioningTestBackend,
  requireTestPostgres,
} from '@paved/test-utils';
import { sqlState, withClient } from './__testUtils__/testPostgres';
import { readPostgresConfig } from './config';
import { SecretWriter } from '@paved/plugin-provisioning-node';
import provisioningModulePostgres from './index';
import { BACKUP_TASK_ID, PURGE_TASK_ID } from './module';
import { PostgresAdmin } from './PostgresAdmin';
import { PostgresParameters } from './PostgresProvisioner';
import { createPostgresResourceType } from './postgresResourceType';
import { purgeDeletedDatabases } from './purge';

jest.setTimeout(60_000);

/** A prefix of this run's names, so that runs on one server never meet. */
const RUN = `p${randomBytes(3).toString('hex')}`;
const OWNER = `group:default/${RUN}-team`;
const NAMESPACE = `team-${RUN}`;
const OTHER_OWNER = `group:default/${RUN}-other-team`;
const BOB = 'user:default/bob';
const RETENTION_MS = 3_000;
const BACKUPS = mkdtempSync(join(tmpdir(), 'paved-backups-'));

const pg = requireTestPostgres();

describe('the postgres resource type on a real server and Kubernetes API', () => {
  const engine = provisioningTestBackend();
  const { logs, scheduler } = engine;
  const passwords = new Set<string>();
  let cluster: TestCluster;
  let core: CoreV1Api;
  let config: ReturnType<typeof testConfig>;
  const restrictedAdmin = {
    user: `${RUN}_admin`,
    password: randomBytes(12).toString('hex'),
  };

  const superuser = (database = 'postgres') => ({
    host: pg.host,
    port: pg.port,
    user: pg.user,
    password: pg.password,
    database,
  });
  const sql = <T extends object = Record<string, unknown>>(
    text: string,
    params: unknown[] = [],
    database = 'postgres',
  ) =>
    withClient(
      superuser(database),
      async c => (await c.query(text, params)).rows as T[],
    );

  function testConfig() {
    return {
      provisioning: {
        policy: {
          quotas: [{ type: 'postgres', owner: OTHER_OWNER, max: 1 }],
        },
        postgres: {
          targets: [
            {
              id: 'main',
              title: 'Test server',
              host: pg.host,
              port: pg.port,
              adminUser: pg.user,
              adminPassword: pg.password,
              sslMode: 'disable',
              default: true,
            },
            {
              id: 'restricted',
              host: pg.host,
              port: pg.port,
              adminUser: restrictedAdmin.user,
              adminPassword: restrictedAdmin.password,
              sslMode: 'disable',
              connectionHost: `${pg.host}:${pg.port}`,
            },
          ],
          defaultConnectionLimit: 7,
          deletionRetention: { milliseconds: RETENTION_MS },
          backups: { store: { type: 'folder', path: BACKUPS }, keep: 5 },
          kubernetes: portalKubernetesConfig(cluster),
        },
      },
    };
  }

  beforeAll(async () => {
    cluster = requireTestCluster();
    core = cluster.kubeConfig.makeApiClient(CoreV1Api);
    config = testConfig();
    await installPrometheusRuleCrd(cluster.kubeConfig);
    await sql(
      `CREATE ROLE ${ident(
        restrictedAdmin.user,
      )} LOGIN CREATEDB CREATEROLE PASSWORD '${restrictedAdmin.password}'`,
    );
    await engine.start({
      features: [provisioningPlugin, provisioningModulePostgres],
      config,
    });
  });

  afterAll(async () => {
    const leftovers = await sql<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${RUN}%`],
    );
    for (const { datname } of leftovers) {
      await sql(`DROP DATABASE IF EXISTS ${ident(datname)} WITH (FORCE)`);
    }
    const roles = await sql<{ rolname: string }>(
      'SELECT rolname FROM pg_roles WHERE rolname LIKE $1 ORDER BY rolname = $2',
      [`${RUN}%`, restrictedAdmin.user],
    );
    for (const { rolname } of roles) {
      await sql(`DROP ROLE IF EXISTS ${ident(rolname)}`);
    }
    for (const name of [NAMESPACE, `team-${RUN}-other`]) {
      await core?.deleteNamespace({ name }).catch(() => undefined);
    }
  });

  const { api, waitForState, waitForIdle, listedType, requestsOf } =
    provisioningApi(engine.server, BOB);
  const {
    body: requestBody,
    create,
    ids: requestIds,
    expectRefused,
  } = requestsOf('postgres', OWNER);

  /** The Secret as an app would mount it, read with the admin identity. */
  async function readSecret(name: string, namespace = NAMESPACE) {
    const read = await readSecretWith(cluster.kubeConfig, name, namespace);
    passwords.add(read.data.password);
    return read;
  }

  const connectAs = (user: string, password: string, database: string) =>
    withClient({ host: pg.host, port: pg.port, user, password, database }, c =>
      c.query('SELECT current_user AS me'),
    );

  const roleOf = async (name: string) =>
    (
      await sql<{
        rolcanlogin: boolean;
        rolconnlimit: number;
        rolsuper: boolean;
        rolcreatedb: boolean;
        rolcreaterole: boolean;
        rolpassword: string | null;
      }>(
        `SELECT rolcanlogin, rolconnlimit, rolsuper, rolcreatedb, rolcreaterole, rolpassword
           FROM pg_authid WHERE rolname = $1`,
        [name],
      )
    )[0];

  const databaseOf = async (name: string) =>
    (
      await sql<{
        comment: string | null;
        datallowconn: boolean;
        owner: string;
      }>(
        `SELECT shobj_description(d.oid, 'pg_database') AS comment, d.datallowconn,
                pg_get_userbyid(d.datdba) AS owner
           FROM pg_database d WHERE datname = $1`,
        [name],
      )
    )[0];

  const ORDERS = `${RUN}-orders`;
  const ORDERS_DB = `${RUN}_orders`;
  let orders: { id: string; outputs: Record<string, unknown> };

  it('offers a form with a title and a description on every field', async () => {
    const type = await listedType('postgres');
    expect(type).toMatchObject({
      title: 'PostgreSQL database',
      catalogType: 'database',
      parameters: {
        properties: {
          target: { enum: ['main', 'restricted'], default: 'main' },
          connectionLimit: { minimum: 1, maximum: 200, default: 7 },
          environment: {
            enum: ['development', 'staging', 'production'],
            default: 'development',
          },
        },
      },
    });
    expectDocumentedParameters(type);
    expect(type.actions.map((a: { id: string }) => a.id)).toEqual([
      'rotate-credentials',
      'terminate-queries',
      'set-connection-limit',
      'backup-now',
      'restore',
    ]);
    expect(await scheduler.getScheduledTasks()).toContainEqual(
      expect.objectContaining({ id: PURGE_TASK_ID, scope: 'global' }),
    );

    // Read access to a database is a request of its own.
    const access = await listedType('postgres-read-access');
    expect(access).toMatchObject({
      title: 'Read-only access to a PostgreSQL database',
      catalogType: 'database-access',
      parameters: { required: ['database', 'component'] },
    });
    expect(access.actions.map((a: { id: string }) => a.id)).toEqual([
      'rotate-credentials',
    ]);
  });

  it('refuses hostile and invalid names, unknown targets and bad parameters with a 400 naming the field, storing nothing', async () => {
    const cases: Array<[string, object, RegExp]> = [
      [`x"; DROP DATABASE postgres; --`, {}, /^Invalid request: name: /],
      ['a'.repeat(64), {}, /^Invalid request: name: must be at most 63/],
      [`a${'b'.repeat(60)}`, {}, /^Invalid request: name: must be at most 60/],
      ['bäse', {}, /^Invalid request: name: /],
      ['pg_x', {}, /^Invalid request: name: /],
      ['pg-x', {}, /^Invalid request: name: 'pg-x' is reserved/],
      ['postgres', {}, /^Invalid request: name: 'postgres' is reserved/],
      ['template1', {}, /^Invalid request: name: 'template1' is reserved/],
      ['template0', {}, /^Invalid request: name: 'template0' is reserved/],
      ['1orders', {}, /^Invalid request: name: must start with a letter/],
      [
        `${RUN}-bad`,
        { target: 'elsewhere' },
        /^Invalid parameters: parameters\.target: must be one of "main", "restricted"$/,
      ],
      [
        `${RUN}-bad`,
        { connectionLimit: 500 },
        /^Invalid parameters: parameters\.connectionLimit: must be <= 200$/,
      ],
      [
        `${RUN}-bad`,
        { component: 'checkout service' },
        /^Invalid parameters: parameters\.component: must match pattern/,
      ],
      [
        `${RUN}-bad`,
        { environment: 'prod' },
        /^Invalid parameters: parameters\.environment: must be one of/,
      ],
      [
        `${RUN}-bad`,
        { password: 'hunter2' },
        /^Invalid parameters: parameters\.password: is not allowed$/,
      ],
    ];
    await expectRefused(cases);
    expect(
      await sql('SELECT 1 FROM pg_roles WHERE rolname LIKE $1', [
        `${RUN}%bad%`,
      ]),
    ).toEqual([]);
  });

  it('provisions a least-privilege database and delivers its credentials as a Secret', async () => {
    const created = await create(ORDERS, {
      connectionLimit: 5,
      component: 'component:default/checkout-service',
    });
    expect(created.state).toBe('provisioning');
    orders = await waitForState(created.id, 'ready');
    expect(orders.outputs).toEqual({
      target: 'main',
      host: pg.host,
      port: pg.port,
      database: ORDERS_DB,
      user: `${ORDERS_DB}_rw`,
      readOnlyRole: `${ORDERS_DB}_ro`,
      secretName: `${ORDERS}-postgres`,
      secretNamespace: NAMESPACE,
      secretUid: expect.any(String),
      connectionLimit: 5,
      alertRule: `${NAMESPACE}/${ORDERS}-postgres-alerts`,
    });

    // The Secret, with the labels and annotations that lead back to the catalog.
    const { secret, data } = await readSecret(`${ORDERS}-postgres`);
    expectRequestSecret(secret, {
      uid: orders.outputs.secretUid,
      requestId: created.id,
      resourceType: 'postgres',
      name: ORDERS,
      owner: OWNER,
      component: 'checkout-service',
    });
    expect(Object.keys(data).sort()).toEqual(
      ['database', 'host', 'password', 'port', 'uri', 'user'].sort(),
    );
    expect(data).toMatchObject({
      host: pg.host,
      port: String(pg.port),
      database: ORDERS_DB,
      user: `${ORDERS_DB}_rw`,
    });
    expect(data.password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(data.uri).toBe(
      `postgresql://${ORDERS_DB}_rw:${data.password}@${pg.host}:${pg.port}/${ORDERS_DB}`,
    );
    const ns = await core.readNamespace({ name: NAMESPACE });
    expect(ns.metadata?.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'paved',
    });

    // The login role: least privilege, the limit, a SCRAM verifier (never the password).
    expect(await roleOf(`${ORDERS_DB}_rw`)).toMatchObject({
      rolcanlogin: true,
      rolconnlimit: 5,
      rolsuper: false,
      rolcreatedb: false,
      rolcreaterole: false,
      rolpassword: expect.stringMatching(/^SCRAM-SHA-256\$4096:/),
    });
    expect(await roleOf(`${ORDERS_DB}_ro`)).toMatchObject({
      rolcanlogin: false,
    });
    expect(await databaseOf(ORDERS_DB)).toEqual({
      comment: `paved:request:${created.id}`,
      datallowconn: true,
      owner: `${ORDERS_DB}_rw`,
    });

    // The app connects with the Secret's URI and owns its schema; it can't do more.
    await withClient(data.uri, async app => {
      await app.query('CREATE TABLE orders (id serial PRIMARY KEY, item text)');
      await app.query("INSERT INTO orders (item) VALUES ('book')");
      expect(await sqlState(app.query('CREATE DATABASE sneaky'))).toBe('42501');
      expect(await sqlState(app.query('CREATE ROLE sneaky'))).toBe('42501');
    });

    // The read-only role reads what the app made, and writes nothing.
    const reader = `${RUN}_reader`;
    await sql(`CREATE ROLE ${ident(reader)} LOGIN PASSWORD 'reader-pw'`);
    await sql(`GRANT ${ident(`${ORDERS_DB}_ro`)} TO ${ident(reader)}`);
    await withClient(
      {
        host: pg.host,
        port: pg.port,
        user: reader,
        password: 'reader-pw',
        database: ORDERS_DB,
      },
      async c => {
        expect((await c.query('SELECT item FROM orders')).rows).toEqual([
          { item: 'book' },
        ]);
        expect(
          await sqlState(c.query("INSERT INTO orders (item) VALUES ('pen')")),
        ).toBe('42501');
        expect(await sqlState(c.query('CREATE TABLE mine (x int)'))).toBe(
          '42501',
        );
      },
    );

    // Everyone else (PUBLIC) cannot even connect.
    const stranger = `${RUN}_stranger`;
    await sql(`CREATE ROLE ${ident(stranger)} LOGIN PASSWORD 'stranger-pw'`);
    expect(await sqlState(connectAs(stranger, 'stranger-pw', ORDERS_DB))).toBe(
      '42501',
    );
  });

  it('converges when the provision step runs again, and adopts only what its own request made', async () => {
    const cfg = readPostgresConfig(mockConfig(config))!;
    const admins = new Map(cfg.targets.map(t => [t.id, new PostgresAdmin(t)]));
    const type = createPostgresResourceType({
      config: cfg,
      admins,
      secrets: new SecretWriter(kubeConfigOf(cfg.kubernetes)),
    });
    const stored = (await api('get', `/requests/${orders.id}`)).body;
    // An attempt that stopped between CREATE DATABASE and its comment.
    await sql(`COMMENT ON DATABASE ${ident(ORDERS_DB)} IS NULL`);
    const ctx = directStepContext<PostgresParameters>({
      request: stored,
      outputs: stored.outputs,
      logger: logs.logger,
    });
    await type.provision(ctx);

    expect(ctx.outputs).toEqual(stored.outputs);
    expect(await databaseOf(ORDERS_DB)).toMatchObject({
      comment: `paved:request:${orders.id}`,
    });
    expect(
      await sql(
        'SELECT count(*)::int AS n FROM pg_roles WHERE rolname LIKE $1',
        [`${ORDERS_DB}\\_r_`],
      ),
    ).toEqual([{ n: 2 }]);
    expect(
      await sql('SELECT count(*)::int AS n FROM pg_default_acl', [], ORDERS_DB),
    ).toEqual([{ n: 2 }]);
    // The new password works and the data is still there.
    const { data } = await readSecret(`${ORDERS}-postgres`);
    await withClient(data.uri, async app => {
      expect(
        (await app.query('SELECT count(*)::int AS n FROM orders')).rows,
      ).toEqual([{ n: 1 }]);
    });
  });

  it('rotates the credentials: the Secret changes and the old password stops working', async () => {
    const before = await readSecret(`${ORDERS}-postgres`);
    const queued = await api(
      'post',
      `/requests/${orders.id}/actions/rotate-credentials`,
    ).send({});
    expect(queued.status).toBe(202);
    const done = await waitForIdle(orders.id);
    expect(done.state).toBe('ready');
    expect(done.lastError).toBeUndefined();

    const after = await readSecret(`${ORDERS}-postgres`);
    expect(after.data.password).not.toBe(before.data.password);
    expect(after.secret.metadata?.uid).toBe(before.secret.metadata?.uid);
    expect(await sqlState(withClient(before.data.uri, async () => {}))).toBe(
      '28P01',
    );
    await withClient(after.data.uri, async app => {
      await app.query("INSERT INTO orders (item) VALUES ('pen')");
    });
  });

  it('changes the connection limit, which PostgreSQL enforces', async () => {
    const queued = await api(
      'post',
      `/requests/${orders.id}/actions/set-connection-limit`,
    ).send({ input: { connectionLimit: 2 } });
    expect(queued.status).toBe(202);
    const done = await waitForIdle(orders.id);
    expect(done.outputs.connectionLimit).toBe(2);
    expect((await roleOf(`${ORDERS_DB}_rw`)).rolconnlimit).toBe(2);

    const { data } = await readSecret(`${ORDERS}-postgres`);
    await withClient(data.uri, () =>
      withClient(data.uri, async () => {
        expect(await sqlState(withClient(data.uri, async () => {}))).toBe(
          '53300',
        );
      }),
    );

    const invalid = await api(
      'post',
      `/requests/${orders.id}/actions/set-connection-limit`,
    ).send({ input: { connectionLimit: 0 } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toBe(
      'Invalid input: input.connectionLimit: must be >= 1',
    );
  });

  it('applies the alert rules as a PrometheusRule whose threshold follows the connection limit', async () => {
    const rule = await KubernetesObjectApi.makeApiClient(
      cluster.kubeConfig,
    ).read<KubernetesObject & { spec: any }>({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: `${ORDERS}-postgres-alerts`, namespace: NAMESPACE },
    });
    expect(rule.metadata?.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'paved',
      'paved.dev/request-id': orders.id,
    });
    const [alert] = rule.spec.groups[0].rules;
    expect(alert.alert).toBe('PostgresConnectionsNearLimit');
    // The limit was changed to 2 above: 80 % of it, at least 1.
    expect(alert.expr).toBe(
      `sum(pg_stat_activity_count{datname="${ORDERS_DB}"}) >= 1`,
    );
    expect(alert.labels).toEqual({
      severity: 'warning',
      team: `${RUN}-team`,
      database: ORDERS_DB,
    });
    // Backups are on (every 24 hours by default): two missed ones alert.
    const backupAlert = rule.spec.groups[0].rules[1];
    expect(backupAlert).toMatchObject({
      alert: 'PostgresBackupTooOld',
      expr: `time() - paved_postgres_last_backup_timestamp_seconds{database="${ORDERS_DB}"} > 172800`,
      for: '15m',
      labels: { severity: 'warning', team: `${RUN}-team`, database: ORDERS_DB },
      annotations: {
        runbook_url: expect.stringMatching(
          /\/docs\/default\/component\/paved-portal\/self-service\/#backup-too-old$/,
        ),
      },
    });
  });

  it("shows live figures from the server's statistics views", async () => {
    const { data } = await readSecret(`${ORDERS}-postgres`);
    // An app connection runs a slow statement while the status is read.
    const slow = withClient(data.uri, app => app.query('SELECT pg_sleep(2)'));
    await new Promise(resolve => setTimeout(resolve, 1000));
    const status = await api('get', `/requests/${orders.id}/status`);
    await slow;
    expect(status.status).toBe(200);
    const database = status.body.sections.find(
      (section: { title: string }) => section.title === 'Database',
    );
    const value = (label: string) =>
      database.items.find((item: { label: string }) => item.label === label)
        ?.value;
    expect(database.items.map((item: { label: string }) => item.label)).toEqual(
      [
        'Size',
        'Connections',
        'Commits',
        'Rollbacks',
        'Cache hit ratio',
        'Longest running query',
      ],
    );
    expect(value('Size')).toMatch(/^\d+\.\d MB$/);
    // The connection limit was set to 2 above.
    expect(value('Connections')).toMatch(/^[12] of 2$/);
    expect(value('Commits')).toBeGreaterThan(0);
    expect(value('Longest running query')).toMatch(/^\d+\.\d s$/);
  });

  it('backs up now and on schedule, lists backups in the live status, and restores deleted rows', async () => {
    const { data } = await readSecret(`${ORDERS}-postgres`);
    const items = () =>
      withClient(
        data.uri,
        async app =>
          (await app.query('SELECT item FROM orders ORDER BY item')).rows,
      );
    const before = await items();
    expect(before.length).toBeGreaterThan(0);

    const backupsOf = async () =>
      (await api('get', `/requests/${orders.id}/status`)).body.sections.find(
        (section: { title: string }) => section.title === 'Backups',
      );
    expect((await backupsOf()).message).toMatch(/^No backup yet/);

    expect(
      (await api('post', `/requests/${orders.id}/actions/backup-now`).send({}))
        .status,
    ).toBe(202);
    expect((await waitForIdle(orders.id)).lastError).toBeUndefined();
    const listed = await backupsOf();
    expect(listed.table.columns).toEqual(['Time', 'Size', 'ID']);
    expect(listed.table.rows).toHaveLength(1);
    const backupId = listed.table.rows[0][2];

    await withClient(data.uri, app => app.query('DELETE FROM orders'));
    expect(await items()).toEqual([]);
    expect(
      (
        await api('post', `/requests/${orders.id}/actions/restore`).send({
          input: { backup: backupId },
        })
      ).status,
    ).toBe(202);
    const restored = await waitForIdle(orders.id);
    expect(restored.lastError).toBeUndefined();
    expect(restored.state).toBe('ready');
    expect(await items()).toEqual(before);

    // The scheduled run backs up every live database, this one included.
    await scheduler.triggerTask(BACKUP_TASK_ID);
    expect((await backupsOf()).table.rows).toHaveLength(2);
  });

  it('restores a backup into a new database through the API, and grants read access as a request of its own', async () => {
    // A new database filled from the newest backup of ORDERS.
    const copyName = `${RUN}-copy`;
    const copy = await create(copyName, {
      restoreFrom: { database: ORDERS },
    });
    const ready = await waitForState(copy.id, 'ready');
    expect(ready.outputs.restoredFrom).toEqual({
      database: ORDERS,
      backup: expect.any(String),
      createdAt: expect.any(String),
    });
    const source = await readSecret(`${ORDERS}-postgres`);
    const copied = await readSecret(`${copyName}-postgres`);
    const items = (uri: string) =>
      withClient(
        uri,
        async app =>
          (await app.query('SELECT item FROM orders ORDER BY item')).rows,
      );
    expect(await items(copied.data.uri)).toEqual(await items(source.data.uri));

    // A database that does not exist: a 400 naming the field; nothing stored.
    const missing = await api('post', '/requests').send(
      requestBody(`${RUN}-copy-2`, {
        restoreFrom: { database: `${RUN}-nowhere` },
      }),
    );
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(
      /parameters\.restoreFrom\.database/,
    );

    // Another team's read access waits for the database owner's approval.
    const access = (name: string, owner: string, database = ORDERS) =>
      api('post', '/requests').send({
        type: 'postgres-read-access',
        name,
        owner,
        parameters: { database, component: 'component:default/reports' },
      });
    const foreign = await access(`${RUN}-their-reports`, OTHER_OWNER);
    expect(foreign.body.error?.message).toBeUndefined();
    requestIds.add(foreign.body.id);
    expect(foreign.body.state).toBe('pending-approval');
    const held = (await api('get', `/requests/${foreign.body.id}`)).body;
    expect(held.approval).toMatchObject({
      group: OWNER,
      reason: expect.stringContaining(
        `read access to ${ORDERS} of ${OWNER} needs its owner's approval`,
      ),
    });
    const unknown = await access(`${RUN}-lost`, OWNER, `${RUN}-nowhere`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/parameters\.database/);

    // The owner's own component gets it at once.
    const own = await access(`${RUN}-own-reports`, OWNER);
    requestIds.add(own.body.id);
    const granted = await waitForState(own.body.id, 'ready');
    expect(granted.outputs).toMatchObject({
      database: ORDERS_DB,
      role: `${ORDERS_DB}_ro_${RUN}_own_reports`,
      secretName: `${RUN}-own-reports-postgres-ro`,
      secretNamespace: NAMESPACE,
    });
    const reader = await readSecret(`${RUN}-own-reports-postgres-ro`);
    await withClient(reader.data.uri, async c => {
      expect(
        (await c.query('SELECT count(*)::int AS n FROM orders')).rows,
      ).toEqual([{ n: (await items(source.data.uri)).length }]);
      expect(await sqlState(c.query('DELETE FROM orders'))).toBe('42501');
    });
    expect((await api('delete', `/requests/${own.body.id}`)).status).toBe(202);
    await waitForState(own.body.id, 'deleted');
    expect(await roleOf(`${ORDERS_DB}_ro_${RUN}_own_reports`)).toBeUndefined();
  });

  it('never adopts a database or role that someone else made, and leaves nothing half-made', async () => {
    // Another team asks for a name in use: refused at once, naming the field.
    const clash = await api('post', '/requests').send(
      requestBody(ORDERS, {}, OTHER_OWNER),
    );
    expect(clash.status).toBe(409);
    expect(clash.body.error.message).toBe(
      `Invalid request: name: '${ORDERS}' is already used by postgres request ${orders.id} of ${OWNER}; names are unique across teams, as in the catalog; choose another name`,
    );
    // A database made by hand.
    const legacyDb = `${RUN}_legacy`;
    await sql(`CREATE DATABASE ${ident(legacyDb)}`);
    const legacy = await create(`${RUN}-legacy`);
    expect((await waitForState(legacy.id, 'failed')).lastError).toContain(
      `Database '${legacyDb}' already exists on target 'main' and was not made by this request`,
    );
    // A role made by hand.
    await sql(`CREATE ROLE ${ident(`${RUN}_clash_ro`)}`);
    const roleClash = await create(`${RUN}-clash`);
    expect((await waitForState(roleClash.id, 'failed')).lastError).toBe(
      `Role '${RUN}_clash_ro' already exists on target 'main' and was not made by this request; choose another name`,
    );
    expect(await databaseOf(`${RUN}_clash`)).toBeUndefined();
    expect(await roleOf(`${RUN}_clash_rw`)).toBeUndefined();
    expect(await roleOf(`${RUN}_legacy_rw`)).toBeUndefined();

    // Deleting the failed requests touches none of it.
    for (const id of [legacy.id, roleClash.id]) {
      expect((await api('delete', `/requests/${id}`)).status).toBe(202);
      await waitForState(id, 'deleted');
    }
    expect(await databaseOf(legacyDb)).toMatchObject({ comment: null });
    expect(await roleOf(`${RUN}_clash_ro`)).toBeDefined();
    expect(await databaseOf(ORDERS_DB)).toMatchObject({
      comment: `paved:request:${orders.id}`,
    });
    const { data } = await readSecret(`${ORDERS}-postgres`);
    await withClient(data.uri, async () => {});
  });

  it('holds production databases for a platform-team approval, counts quota and refuses duplicates', async () => {
    const prod = await create(`${RUN}-prod`, { environment: 'production' });
    expect(prod.state).toBe('pending-approval');
    const held = (await api('get', `/requests/${prod.id}`)).body;
    expect(held.approval).toMatchObject({
      group: 'group:default/platform-team',
      reason:
        "resource type 'postgres': production databases need a platform-team approval",
    });
    expect(await databaseOf(`${RUN}_prod`)).toBeUndefined();

    const same = await api('post', '/requests').send(
      requestBody(`${RUN}-prod`, { environment: 'production' }),
    );
    expect(same.status).toBe(200);
    expect(same.body.id).toBe(prod.id);
    const different = await api('post', '/requests').send(
      requestBody(`${RUN}-prod`, { environment: 'staging' }),
    );
    expect(different.status).toBe(409);
    expect(different.body.error.message).toMatch(/^Invalid request: name: /);

    // OTHER_OWNER may have one postgres; its failed-then-deleted request freed it.
    await create(`${RUN}-quota-1`, { environment: 'production' }, OTHER_OWNER);
    const over = await api('post', '/requests').send(
      requestBody(`${RUN}-quota-2`, {}, OTHER_OWNER),
    );
    expect(over.status).toBe(409);
    expect(over.body.error.message).toMatch(/^Quota exceeded: owner: /);
  });

  it('deletes: the Secret goes, logins are refused, the database is kept until the purge after the retention', async () => {
    const { data } = await readSecret(`${ORDERS}-postgres`);
    // An open session ends with the deletion.
    const session = new Client({ connectionString: data.uri });
    session.on('error', () => {});
    await session.connect();

    expect((await api('delete', `/requests/${orders.id}`)).status).toBe(202);
    await waitForState(orders.id, 'deleted');

    expect(
      await secretStatus(cluster.kubeConfig, `${ORDERS}-postgres`, NAMESPACE),
    ).toBe(404);
    const ruleGone = await KubernetesObjectApi.makeApiClient(cluster.kubeConfig)
      .read({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: `${ORDERS}-postgres-alerts`, namespace: NAMESPACE },
      })
      .then(() => 200, statusCodeOf);
    expect(ruleGone).toBe(404);
    expect(await sqlState(session.query('SELECT 1'))).not.toBe('ok');
    await session.end().catch(() => {});
    expect(await sqlState(withClient(data.uri, async () => {}))).not.toBe('ok');
    expect(await roleOf(`${ORDERS_DB}_rw`)).toMatchObject({
      rolcanlogin: false,
      rolpassword: null,
    });
    const kept = await databaseOf(ORDERS_DB);
    expect(kept.datallowconn).toBe(false);
    expect(kept.comment).toMatch(
      new RegExp(`^paved:deleted:\\S+ request:${orders.id}$`),
    );

    // The scheduled purge keeps it during the retention, then drops it and its roles.
    await scheduler.triggerTask(PURGE_TASK_ID);
    expect(await databaseOf(ORDERS_DB)).toBeDefined();
    await new Promise(resolve => setTimeout(resolve, RETENTION_MS));
    await scheduler.triggerTask(PURGE_TASK_ID);
    expect(await databaseOf(ORDERS_DB)).toBeUndefined();
    expect(await roleOf(`${ORDERS_DB}_rw`)).toBeUndefined();
    expect(await roleOf(`${ORDERS_DB}_ro`)).toBeUndefined();
    expect(logs.records.map(r => r.message)).toContainEqual(
      expect.stringMatching(`Dropped database '${ORDERS_DB}' and its roles`),
    );
  });

  it('deletes cleanly when the database, its roles and the Secret are gone already', async () => {
    const name = `${RUN}-vanished`;
    const db = `${RUN}_vanished`;
    const created = await create(name);
    await waitForState(created.id, 'ready');
    await readSecret(`${name}-postgres`);
    await sql(`DROP DATABASE ${ident(db)} WITH (FORCE)`);
    await sql(`DROP ROLE ${ident(`${db}_rw`)}`);
    await sql(`DROP ROLE ${ident(`${db}_ro`)}`);
    await core.deleteNamespacedSecret({
      name: `${name}-postgres`,
      namespace: NAMESPACE,
    });

    expect((await api('delete', `/requests/${created.id}`)).status).toBe(202);
    const deleted = await waitForState(created.id, 'deleted');
    expect(deleted.lastError).toBeUndefined();
  });

  it('works with an admin that is only CREATEDB and CREATEROLE, as on managed services', async () => {
    const name = `${RUN}-managed`;
    const db = `${RUN}_managed`;
    const created = await create(name, { target: 'restricted' });
    const ready = await waitForState(created.id, 'ready');
    expect(ready.outputs).toMatchObject({ target: 'restricted', database: db });
    const { data } = await readSecret(`${name}-postgres`);
    await withClient(data.uri, async app => {
      await app.query('CREATE TABLE t (x int)');
    });
    expect(await databaseOf(db)).toMatchObject({ owner: `${db}_rw` });

    expect((await api('delete', `/requests/${created.id}`)).status).toBe(202);
    await waitForState(created.id, 'deleted');
    expect(await sqlState(withClient(data.uri, async () => {}))).not.toBe('ok');

    const cfg = readPostgresConfig(mockConfig(config))!;
    const purged = await purgeDeletedDatabases({
      admins: [new PostgresAdmin(cfg.targets[1])],
      retentionMs: cfg.deletionRetentionMs,
      logger: logs.logger,
      now: new Date(Date.now() + RETENTION_MS),
    });
    expect(purged).toContainEqual({ target: 'restricted', database: db });
    expect(await databaseOf(db)).toBeUndefined();
    expect(await roleOf(`${db}_rw`)).toBeUndefined();
  });

  it('never takes over a Secret that someone else made, nor deletes it', async () => {
    const name = `${RUN}-taken`;
    const secretName = `${name}-postgres`;
    await core.createNamespacedSecret({
      namespace: NAMESPACE,
      body: {
        metadata: { name: secretName },
        stringData: { password: 'theirs' },
      },
    });
    const theirs = async () => {
      const secret = await core.readNamespacedSecret({
        name: secretName,
        namespace: NAMESPACE,
      });
      return Buffer.from(secret.data?.password ?? '', 'base64').toString();
    };

    const created = await create(name);
    const failed = await waitForState(created.id, 'failed');
    expect(failed.lastError).toMatch(
      `Could not apply Secret '${NAMESPACE}/${secretName}': it exists and other managers own its fields`,
    );
    expect(failed.outputs.secretUid).toBeUndefined();
    expect(await theirs()).toBe('theirs');

    expect((await api('delete', `/requests/${created.id}`)).status).toBe(202);
    await waitForState(created.id, 'deleted');
    expect(await theirs()).toBe('theirs');
    expect((await databaseOf(`${RUN}_taken`)).comment).toMatch(
      /^paved:deleted:/,
    );
  });

  it('never lets a password into outputs, the timeline, stored rows or logs', async () => {
    expect(passwords.size).toBeGreaterThanOrEqual(5);
    // Lists are read apart from the details each request has.
    const list = await api('get', `/requests?owner=${OWNER}`);
    expect(
      [...passwords].filter(password =>
        JSON.stringify(list.body).includes(password),
      ),
    ).toEqual([]);
    await engine.expectSecretsKeptOut({
      secrets: passwords,
      requestIds,
      user: BOB,
    });
  });
});

function mockConfig(data: object) {
  return mockServices.rootConfig({ data: data as any });
}

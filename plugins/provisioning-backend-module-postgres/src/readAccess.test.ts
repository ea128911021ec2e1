/*
 * Read-only access grants (`postgres-read-access`) on a real PostgreSQL server and
 * Kubernetes API server, their steps run directly as the worker runs them.
 */
import { inMemoryRequestLookup } from '@paved/plugin-provisioning-node';
import { teamNamespace } from '@paved/plugin-provisioning-common';
import { JsonObject } from '@backstage/types';
import { stepHarness } from './__testUtils__/harness';
import {
  capturingRootLogger,
  directStepContext,
  expectRequestSecret,
} from '@paved/test-utils';
import { sqlState, withClient } from './__testUtils__/testPostgres';
import { PostgresParameters } from './PostgresProvisioner';
import { createPostgresResourceType } from './postgresResourceType';
import {
  createPostgresReadAccessResourceType,
  ReadAccessParameters,
} from './readAccess';
import { Client } from 'pg';

jest.setTimeout(60_000);

const h = stepHarness();
const logs = capturingRootLogger();
const OWNER = `group:default/${h.RUN}-team`;
const READER = `group:default/${h.RUN}-reporting-team`;

const config = h.config;
const postgres = createPostgresResourceType({
  config,
  admins: h.admins,
  secrets: h.secrets,
});
const readAccess = createPostgresReadAccessResourceType({
  admins: h.admins,
  secrets: h.secrets,
});

describe('postgres-read-access', () => {
  const DB = `${h.RUN}-orders`;
  const DB_NAME = `${h.RUN}_orders`;
  const database = h.stored<PostgresParameters>('postgres', DB, OWNER, {
    target: 'main',
    connectionLimit: 5,
    environment: 'development',
  });
  let databaseOutputs: JsonObject;
  const grant = h.stored<ReadAccessParameters>(
    'postgres-read-access',
    `${h.RUN}-reports`,
    READER,
    { database: DB, component: 'component:default/reporting-service' },
  );
  const role = `${DB_NAME}_ro_${h.RUN}_reports`;
  const secretName = `${h.RUN}-reports-postgres-ro`;
  const readerNamespace = teamNamespace(READER);
  let grantOutputs: JsonObject = {};

  const lookup = () =>
    inMemoryRequestLookup([h.referenced(database, databaseOutputs)]);
  const grantContext = (
    kind: 'provision' | 'action' | 'destroy' = 'provision',
  ) =>
    directStepContext<ReadAccessParameters>({
      request: grant,
      outputs: grantOutputs,
      logger: logs.logger,
      kind,
      requests: lookup(),
    });

  beforeAll(async () => {
    const ctx = directStepContext<PostgresParameters>({
      request: database,
      outputs: {},
      logger: logs.logger,
    });
    await postgres.provision(ctx);
    databaseOutputs = ctx.outputs;
    h.namespaces.add(teamNamespace(OWNER));
    h.namespaces.add(readerNamespace);
    const { data } = await h.readSecret(`${DB}-postgres`, teamNamespace(OWNER));
    await withClient(data.uri, async app => {
      await app.query('CREATE TABLE orders (id serial PRIMARY KEY, item text)');
      await app.query("INSERT INTO orders (item) VALUES ('book'), ('pen')");
    });
  });

  afterAll(() => h.cleanup());

  it('names the database it reads as a reference, and routes approval to its owner', () => {
    const input = {
      type: grant.type,
      name: grant.name,
      owner: READER,
      parameters: grant.parameters,
      createdBy: grant.createdBy,
    };
    expect(readAccess.references!(input)).toEqual([
      {
        field: 'parameters.database',
        type: 'postgres',
        name: DB,
        permission: 'read',
      },
    ]);
    const references = {
      'parameters.database': h.referenced(database, databaseOutputs),
    };
    // Another team: the database's owner approves.
    expect(readAccess.policy!.requiresApproval!(input, { references })).toEqual(
      {
        reason: `read access to ${DB} of ${OWNER} needs its owner's approval`,
        approvers: OWNER,
      },
    );
    // The owner's own components: no approval, however the owner is spelled.
    expect(
      readAccess.policy!.requiresApproval!(
        { ...input, owner: `${h.RUN}-team` },
        { references },
      ),
    ).toBeUndefined();
    // Unresolved (an engine that does not resolve references): someone approves.
    expect(
      readAccess.policy!.requiresApproval!(input, { references: {} }),
    ).toEqual({
      reason: `read access to ${DB} needs an approval: its owner is not known`,
    });
  });

  it("grants a login role that reads the other team's tables and changes nothing, with its Secret in the grantee's namespace", async () => {
    const ctx = grantContext();
    await readAccess.provision(ctx);
    grantOutputs = ctx.outputs;
    expect(grantOutputs).toEqual({
      target: 'main',
      database: DB_NAME,
      role,
      host: h.pg.host,
      port: h.pg.port,
      secretName,
      secretNamespace: readerNamespace,
      secretUid: expect.any(String),
    });

    const { secret, data } = await h.readSecret(secretName, readerNamespace);
    expectRequestSecret(secret, {
      uid: grantOutputs.secretUid,
      requestId: grant.id,
      resourceType: 'postgres-read-access',
      name: grant.name,
      owner: READER,
      component: 'reporting-service',
      annotations: {
        'paved.dev/database-ref': `resource:default/${DB}`,
      },
    });
    expect(data).toMatchObject({
      host: h.pg.host,
      port: String(h.pg.port),
      database: DB_NAME,
      user: role,
    });
    expect(data.uri).toBe(
      `postgresql://${role}:${data.password}@${h.pg.host}:${h.pg.port}/${DB_NAME}`,
    );
    for (const value of Object.values(grantOutputs)) {
      expect(String(value)).not.toContain(data.password);
    }

    const [attributes] = await h.sql(
      `SELECT rolcanlogin, rolinherit, rolconnlimit, rolsuper, rolcreatedb, rolcreaterole,
              rolpassword LIKE 'SCRAM-SHA-256$%' AS scram,
              pg_has_role(rolname, $2, 'MEMBER') AS reader
         FROM pg_authid WHERE rolname = $1`,
      [role, `${DB_NAME}_ro`],
    );
    expect(attributes).toEqual({
      rolcanlogin: true,
      rolinherit: true,
      rolconnlimit: 5,
      rolsuper: false,
      rolcreatedb: false,
      rolcreaterole: false,
      scram: true,
      reader: true,
    });

    await withClient(data.uri, async c => {
      expect(
        (await c.query('SELECT item FROM orders ORDER BY id')).rows,
      ).toEqual([{ item: 'book' }, { item: 'pen' }]);
      expect(
        await sqlState(c.query("INSERT INTO orders (item) VALUES ('cup')")),
      ).toBe('42501');
      expect(await sqlState(c.query('UPDATE orders SET item = item'))).toBe(
        '42501',
      );
      expect(await sqlState(c.query('DELETE FROM orders'))).toBe('42501');
      expect(await sqlState(c.query('CREATE TABLE mine (x int)'))).toBe(
        '42501',
      );
      expect(await sqlState(c.query('CREATE TEMP TABLE mine (x int)'))).toBe(
        '42501',
      );
    });
    // Tables the owner makes later are readable too (default privileges).
    const owner = await h.readSecret(`${DB}-postgres`, teamNamespace(OWNER));
    await withClient(owner.data.uri, app =>
      app.query('CREATE TABLE later AS SELECT 1 AS x'),
    );
    await withClient(data.uri, async c => {
      expect((await c.query('SELECT x FROM later')).rows).toEqual([{ x: 1 }]);
    });
  });

  it('converges when the step runs again (a resumed operation): no second role or Secret', async () => {
    const before = await h.readSecret(secretName, readerNamespace);
    const ctx = grantContext();
    await readAccess.provision(ctx);
    expect(ctx.outputs).toEqual(grantOutputs);
    expect(
      await h.sql(
        'SELECT rolname FROM pg_roles WHERE rolname LIKE $1 ORDER BY rolname',
        [`${DB_NAME}\\_ro%`],
      ),
    ).toEqual([{ rolname: `${DB_NAME}_ro` }, { rolname: role }]);
    const after = await h.readSecret(secretName, readerNamespace);
    expect(after.secret.metadata?.uid).toBe(before.secret.metadata?.uid);
    await withClient(after.data.uri, async c => {
      expect(
        (await c.query('SELECT count(*)::int AS n FROM orders')).rows,
      ).toEqual([{ n: 2 }]);
    });
  });

  it('rotates its credentials: the old password stops working', async () => {
    const before = await h.readSecret(secretName, readerNamespace);
    const ctx = {
      ...grantContext('action'),
      action: 'rotate-credentials',
      input: {},
    };
    await readAccess.actions!['rotate-credentials'].run(ctx);
    expect(ctx.outputs.credentialsRotatedAt).toEqual(expect.any(String));
    const after = await h.readSecret(secretName, readerNamespace);
    expect(after.data.password).not.toBe(before.data.password);
    expect(await sqlState(withClient(before.data.uri, async () => {}))).toBe(
      '28P01',
    );
    await withClient(after.data.uri, async () => {});
  });

  it('fails for good, naming the field, when the database is gone', async () => {
    const ctx = directStepContext<ReadAccessParameters>({
      request: { ...grant, id: `${grant.id}-x`, name: `${h.RUN}-late` },
      outputs: {},
      logger: logs.logger,
      requests: inMemoryRequestLookup([
        h.referenced(database, databaseOutputs, 'deleted'),
      ]),
    });
    const error = await readAccess.provision(ctx).catch(e => e);
    expect(error.name).toBe('NonRetryableError');
    expect(error.message).toBe(
      `parameters.database: there is no active postgres database '${DB}' (was it deleted?)`,
    );
    expect(ctx.outputs).toEqual({});
  });

  it('destroys: sessions end, the role and the Secret go; again when they are gone already', async () => {
    const { data } = await h.readSecret(secretName, readerNamespace);
    const session = new Client({ connectionString: data.uri });
    session.on('error', () => {});
    await session.connect();

    await readAccess.destroy(grantContext('destroy'));
    expect(await sqlState(session.query('SELECT 1'))).not.toBe('ok');
    await session.end().catch(() => {});
    expect(
      await h.sql('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]),
    ).toEqual([]);
    expect(await h.secretStatus(secretName, readerNamespace)).toBe(404);
    // The database and its own roles are untouched.
    expect(
      await h.sql(
        'SELECT rolname FROM pg_roles WHERE rolname LIKE $1 ORDER BY rolname',
        [`${DB_NAME}\\_r%`],
      ),
    ).toEqual([{ rolname: `${DB_NAME}_ro` }, { rolname: `${DB_NAME}_rw` }]);

    // Retried after it succeeded, and for a request that never got a role.
    await readAccess.destroy(grantContext('destroy'));
    await readAccess.destroy(
      directStepContext<ReadAccessParameters>({
        request: { ...grant, id: `${grant.id}-y` },
        outputs: {},
        logger: logs.logger,
        kind: 'destroy',
      }),
    );
  });

  it('never drops a role it did not make', async () => {
    const other = `${DB_NAME}_ro_${h.RUN}_theirs`;
    await h.sql(`CREATE ROLE "${other}" LOGIN`);
    const theirs = { ...grant, name: `${h.RUN}-theirs` };
    const ctx = directStepContext<ReadAccessParameters>({
      request: theirs,
      outputs: {},
      logger: logs.logger,
      requests: lookup(),
    });
    const error = await readAccess.provision(ctx).catch(e => e);
    expect(error.message).toBe(
      `Role '${other}' already exists on target 'main' and was not made by this request; choose another name`,
    );
    await readAccess.destroy(
      directStepContext<ReadAccessParameters>({
        request: theirs,
        outputs: ctx.outputs,
        logger: logs.logger,
        kind: 'destroy',
      }),
    );
    expect(
      await h.sql('SELECT 1 AS x FROM pg_roles WHERE rolname = $1', [other]),
    ).toEqual([{ x: 1 }]);
  });
});

/*
 * A database attached to an environment (`environmentName`): its Secret goes into the
 * environment's namespace, rotation and deletion follow it there. On a real
 * PostgreSQL server and Kubernetes API server, its steps run directly.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import { requireTestCluster } from '@paved/kube-test-utils';
import { teamNamespace } from '@paved/plugin-provisioning-common';
import { inMemoryRequestLookup } from '@paved/plugin-provisioning-node';
import { stepHarness } from './__testUtils__/harness';
import { capturingRootLogger, directStepContext } from '@paved/test-utils';
import { withClient } from './__testUtils__/testPostgres';
import { PostgresParameters } from './PostgresProvisioner';
import { createPostgresResourceType } from './postgresResourceType';

jest.setTimeout(60_000);

const h = stepHarness();
const logs = capturingRootLogger();
const OWNER = `group:default/${h.RUN}-team`;
const TEAM_NAMESPACE = teamNamespace(OWNER);
const ENV = `${h.RUN}-feature`;
const ENV_NAMESPACE = `${h.RUN}-feature-ns`;
const core = requireTestCluster().kubeConfig.makeApiClient(CoreV1Api);

const config = h.config;
const postgres = createPostgresResourceType({
  config,
  admins: h.admins,
  secrets: h.secrets,
});

const parameters = (environmentName?: string): PostgresParameters => ({
  target: 'main',
  connectionLimit: 5,
  environment: 'development',
  ...(environmentName ? { environmentName } : {}),
});

describe('a database attached to an environment', () => {
  const environment = h.stored('environment', ENV, OWNER, { size: 'small' });
  const lookup = inMemoryRequestLookup([
    h.referenced(environment, { namespace: ENV_NAMESPACE }),
  ]);

  beforeAll(async () => {
    // The environment type made its namespace; the Secret never makes it.
    h.namespaces.add(ENV_NAMESPACE);
    h.namespaces.add(TEAM_NAMESPACE);
    await core.createNamespace({ body: { metadata: { name: ENV_NAMESPACE } } });
  });

  afterAll(() => h.cleanup());

  it('names the environment as a reference its owners must be allowed to change, unless the provisioning plugin attaches it', () => {
    const input = {
      type: 'postgres',
      name: `${h.RUN}-db`,
      owner: OWNER,
      parameters: { ...parameters(ENV), restoreFrom: { database: 'orders' } },
      createdBy: 'user:default/bob',
    };
    expect(postgres.references!(input)).toEqual([
      {
        field: 'parameters.restoreFrom.database',
        type: 'postgres',
        name: 'orders',
        permission: 'read',
      },
      {
        field: 'parameters.environmentName',
        type: 'environment',
        name: ENV,
        permission: 'update',
      },
    ]);
    expect(
      postgres.references!({ ...input, parameters: parameters() }),
    ).toEqual([]);
    expect(
      postgres.references!({
        ...input,
        parameters: parameters(ENV),
        createdBy: 'plugin:provisioning',
      }),
    ).toEqual([]);
    expect(postgres.parameters).toMatchObject({
      properties: {
        environmentName: {
          type: 'string',
          title: 'Environment (namespace)',
          maxLength: 63,
        },
      },
    });
  });

  it("puts the Secret into the environment's namespace, rotates and deletes it there", async () => {
    const db = h.stored('postgres', `${h.RUN}-db`, OWNER, parameters(ENV));
    const ctx = directStepContext<PostgresParameters>({
      request: db,
      outputs: {},
      logger: logs.logger,
      requests: lookup,
    });
    await postgres.provision(ctx);
    expect(ctx.outputs).toMatchObject({
      secretName: `${db.name}-postgres`,
      secretNamespace: ENV_NAMESPACE,
    });
    const first = await h.readSecret(`${db.name}-postgres`, ENV_NAMESPACE);
    expect(first.secret.metadata?.labels).toMatchObject({
      'paved.dev/request-id': db.id,
    });
    await withClient(first.data.uri, c => c.query('SELECT 1'));
    expect(await h.secretStatus(`${db.name}-postgres`, TEAM_NAMESPACE)).toBe(
      404,
    );

    // Rotation finds the Secret where it was made, even with the environment gone.
    const rotate = directStepContext<PostgresParameters>({
      request: db,
      outputs: ctx.outputs,
      logger: logs.logger,
      kind: 'action',
    });
    await postgres.actions!['rotate-credentials'].run({
      ...rotate,
      action: 'rotate-credentials',
      input: {},
    });
    const rotated = await h.readSecret(`${db.name}-postgres`, ENV_NAMESPACE);
    expect(rotated.data.password).not.toBe(first.data.password);
    await withClient(rotated.data.uri, c => c.query('SELECT 1'));
    expect(await h.secretStatus(`${db.name}-postgres`, TEAM_NAMESPACE)).toBe(
      404,
    );

    const destroy = directStepContext<PostgresParameters>({
      request: db,
      outputs: rotate.outputs,
      logger: logs.logger,
      kind: 'destroy',
    });
    await postgres.destroy(destroy);
    expect(await h.secretStatus(`${db.name}-postgres`, ENV_NAMESPACE)).toBe(
      404,
    );
  });

  it('keeps a database without one in the team namespace', async () => {
    const db = h.stored('postgres', `${h.RUN}-team-db`, OWNER, parameters());
    const ctx = directStepContext<PostgresParameters>({
      request: db,
      outputs: {},
      logger: logs.logger,
    });
    await postgres.provision(ctx);
    expect(ctx.outputs.secretNamespace).toBe(TEAM_NAMESPACE);
    expect(await h.secretStatus(`${db.name}-postgres`, TEAM_NAMESPACE)).toBe(
      200,
    );
  });

  it('fails for good, naming the field, when the environment is gone', async () => {
    const db = h.stored(
      'postgres',
      `${h.RUN}-orphan`,
      OWNER,
      parameters(`${h.RUN}-nowhere`),
    );
    const ctx = directStepContext<PostgresParameters>({
      request: db,
      outputs: {},
      logger: logs.logger,
      requests: lookup,
    });
    const error = await postgres.provision(ctx).catch(e => e);
    expect(error.name).toBe('NonRetryableError');
    expect(error.message).toBe(
      `parameters.environmentName: there is no environment '${h.RUN}-nowhere' (any more)`,
    );
    expect(ctx.outputs.secretUid).toBeUndefined();
  });
});

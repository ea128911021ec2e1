/*
 * The rabbitmq-queue steps run directly, as a worker runs them, on the test run's
 * RabbitMQ broker and the real Kubernetes API server: a run that stops half-way and
 * is run again, queues attached to an environment, and requests that must make
 * nothing.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { CoreV1Api, V1Secret } from '@kubernetes/client-node';
import {
  loadKubeConfig,
  readSecret as readSecretWith,
  requireTestCluster,
  secretStatus as secretStatusWith,
} from '@paved/kube-test-utils';
import { teamNamespace } from '@paved/plugin-provisioning-common';
import {
  inMemoryRequestLookup,
  SecretWriter,
  StepContext,
} from '@paved/plugin-provisioning-node';
import {
  actionContext,
  capturingRootLogger,
  directStepContext,
  storedRequest,
} from '@paved/test-utils';
import { randomBytes } from 'node:crypto';
import { testBroker } from './__testUtils__/testBroker';
import { readRabbitmqConfig } from './config';
import { createRabbitmqResourceType } from './rabbitmqResourceType';
import { QueueParameters } from './schema';

jest.setTimeout(60_000);

const b = testBroker();
const cluster = requireTestCluster();
const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
const logs = capturingRootLogger();
const OWNER = `group:default/${b.RUN}-team`;
const TEAM_NAMESPACE = teamNamespace(OWNER);
const ENV = `${b.RUN}-feature`;
const ENV_NAMESPACE = `${b.RUN}-feature-ns`;

const config = readRabbitmqConfig(
  mockServices.rootConfig({
    data: {
      provisioning: {
        rabbitmq: { ...b.config, kubernetes: { kubeconfigPath: '/dev/null' } },
      },
    },
  }),
)!;

/** Secrets written as the portal's RBAC-limited identity; `failApplies` fails the next ones. */
class FlakySecretWriter extends SecretWriter {
  failApplies = 0;
  async applySecret(secret: V1Secret): Promise<string> {
    if (this.failApplies > 0) {
      this.failApplies--;
      throw new Error('the worker stopped here');
    }
    return super.applySecret(secret);
  }
}
const secrets = new FlakySecretWriter(
  loadKubeConfig(cluster.portalKubeconfigPath),
);
const queues = createRabbitmqResourceType({
  config,
  management: b.management,
  secrets,
});

const stored = <T extends JsonObject>(
  type: string,
  name: string,
  parameters: T,
) => storedRequest(type, name, OWNER, parameters);

/** The Secret's data, decoded, read with the cluster admin's identity. */
const readSecret = async (name: string, namespace: string) =>
  (await readSecretWith(cluster.kubeConfig, name, namespace)).data;

const secretStatus = (name: string, namespace: string) =>
  secretStatusWith(cluster.kubeConfig, name, namespace);

describe('the rabbitmq-queue steps, run directly', () => {
  beforeAll(async () => {
    // The environment type made its namespace; the Secret never makes it.
    await core.createNamespace({ body: { metadata: { name: ENV_NAMESPACE } } });
  });

  afterAll(async () => {
    await b.cleanup();
    for (const name of [ENV_NAMESPACE, TEAM_NAMESPACE]) {
      await core.deleteNamespace({ name }).catch(() => undefined);
    }
  });

  it('converges after a run that stopped half-way: one vhost, one user, one Secret, and its password works', async () => {
    const request = stored<QueueParameters>(
      'rabbitmq-queue',
      `${b.RUN}-crash`,
      {
        queues: [{ name: 'jobs', deadLetter: true, maxLength: 10 }],
      },
    );
    const checkpoints = new Map();
    const first = directStepContext<QueueParameters>({
      request,
      logger: logs.logger,
      checkpoints,
    });
    // The vhost, the user and the queues are made; the Secret is not.
    secrets.failApplies = 1;
    await expect(queues.provision(first)).rejects.toThrow(
      'the worker stopped here',
    );
    expect(first.outputs).toEqual({
      vhost: request.name,
      user: request.name,
    });
    expect(await secretStatus(`${request.name}-amqp`, TEAM_NAMESPACE)).toBe(
      404,
    );

    // Another worker resumes it with what the first one recorded.
    const resumed: StepContext<QueueParameters> = directStepContext({
      request,
      outputs: first.outputs,
      logger: logs.logger,
      checkpoints,
    });
    await queues.provision(resumed);
    expect(resumed.outputs).toMatchObject({
      vhost: request.name,
      user: request.name,
      secretNamespace: TEAM_NAMESPACE,
    });
    // And once more, as a retried step would: nothing new.
    await queues.provision(
      directStepContext({
        request,
        outputs: resumed.outputs,
        logger: logs.logger,
      }),
    );

    const { vhosts, users } = await b.leftovers();
    expect(vhosts.filter(v => v === request.name)).toHaveLength(1);
    expect(users.filter(u => u === request.name)).toHaveLength(1);
    const listed = await core.listNamespacedSecret({
      namespace: TEAM_NAMESPACE,
      labelSelector: `paved.dev/request-id=${request.id}`,
    });
    expect(listed.items).toHaveLength(1);
    expect(
      (
        (await b.api(`/api/queues/${request.name}`)).body as Array<{
          name: string;
        }>
      )
        .map(q => q.name)
        .sort(),
    ).toEqual(['jobs', 'jobs.dlq']);
    const data = await readSecret(`${request.name}-amqp`, TEAM_NAMESPACE);
    await b.publish(data.uri, 'jobs', 1);
    expect(await b.messageCount(data.uri, 'jobs')).toBe(1);
  });

  it("puts the Secret into an environment's namespace, rotates and deletes it there", async () => {
    const environment = stored('environment', ENV, { size: 'small' });
    const request = stored<QueueParameters>('rabbitmq-queue', `${b.RUN}-env`, {
      queues: [{ name: 'tasks' }],
      environmentName: ENV,
    });
    const lookup = inMemoryRequestLookup(
      [
        {
          ...environment,
          state: 'ready',
          outputs: { namespace: ENV_NAMESPACE },
        },
        { ...request, state: 'ready', outputs: {} },
      ],
      [queues],
    );
    const ctx = directStepContext<QueueParameters>({
      request,
      logger: logs.logger,
      requests: lookup,
    });
    await queues.provision(ctx);
    expect(ctx.outputs.secretNamespace).toBe(ENV_NAMESPACE);
    const first = await readSecret(`${request.name}-amqp`, ENV_NAMESPACE);
    await b.publish(first.uri, 'tasks', 1);
    expect(await secretStatus(`${request.name}-amqp`, TEAM_NAMESPACE)).toBe(
      404,
    );

    // Environments hold queues: the environment lists it as attached, and a copy
    // of the environment asks for the same queues (its own, empty).
    expect(
      (await lookup.listAttached(ENV)).map(a => [
        a.request.name,
        a.copyParameters({ seeded: false }),
      ]),
    ).toEqual([[request.name, { queues: [{ name: 'tasks' }] }]]);

    // Rotation follows the Secret where it was made.
    const rotate = directStepContext<QueueParameters>({
      request,
      outputs: ctx.outputs,
      logger: logs.logger,
      kind: 'action',
    });
    await queues.actions!['rotate-credentials'].run(
      actionContext(rotate, 'rotate-credentials', {}),
    );
    const rotated = await readSecret(`${request.name}-amqp`, ENV_NAMESPACE);
    expect(rotated.password).not.toBe(first.password);
    expect(await b.amqpError(b.connect(first.uri))).toMatch(/ACCESS_REFUSED/);
    expect(await b.messageCount(rotated.uri, 'tasks')).toBe(1);

    await queues.destroy(
      directStepContext<QueueParameters>({
        request,
        outputs: rotate.outputs,
        logger: logs.logger,
        kind: 'destroy',
      }),
    );
    expect(await secretStatus(`${request.name}-amqp`, ENV_NAMESPACE)).toBe(404);
    expect((await b.api(`/api/vhosts/${request.name}`)).status).toBe(404);
    expect((await b.api(`/api/users/${request.name}`)).status).toBe(404);
  });

  it('names the environment as a reference its owners must be allowed to change', () => {
    const input = {
      type: 'rabbitmq-queue',
      name: `${b.RUN}-q`,
      owner: OWNER,
      parameters: { queues: [{ name: 'a' }], environmentName: ENV },
      createdBy: 'user:default/bob',
    };
    expect(queues.references!(input)).toEqual([
      {
        field: 'parameters.environmentName',
        type: 'environment',
        name: ENV,
        permission: 'update',
      },
    ]);
    expect(
      queues.references!({ ...input, parameters: { queues: [{ name: 'a' }] } }),
    ).toEqual([]);
  });

  it.each([
    [
      'an environment that is gone',
      { queues: [{ name: 'a' }], environmentName: `${b.RUN}-nowhere` },
      `parameters.environmentName: there is no environment '${b.RUN}-nowhere' (any more)`,
    ],
    [
      'a queue listed twice',
      { queues: [{ name: 'a' }, { name: 'b' }, { name: 'a' }] },
      "parameters.queues[2].name: queue 'a' is listed twice; queue names must differ",
    ],
  ])(
    'fails for good, naming the field, and makes nothing, with %s',
    async (_, parameters, message) => {
      const request = stored<QueueParameters>(
        'rabbitmq-queue',
        `${b.RUN}-never-${randomBytes(2).toString('hex')}`,
        parameters as QueueParameters,
      );
      const ctx = directStepContext<QueueParameters>({
        request,
        logger: logs.logger,
      });
      const error = await queues.provision(ctx).catch(e => e);
      expect(error.name).toBe('NonRetryableError');
      expect(error.message).toBe(message);
      expect(ctx.outputs).toEqual({});
      expect((await b.api(`/api/vhosts/${request.name}`)).status).toBe(404);
      // Deleting what was never made succeeds.
      await queues.destroy(
        directStepContext<QueueParameters>({ request, kind: 'destroy' }),
      );
    },
  );
});

import { mockServices } from '@backstage/backend-test-utils';
import { V1Secret } from '@kubernetes/client-node';
import {
  deleteRequestSecret,
  deliverCredentials,
  requestSecret,
} from './requestSecret';
import { SecretWriter } from './SecretWriter';

const REQUEST = {
  id: 'req-1',
  name: 'orders-queue',
  owner: 'group:default/checkout-team',
};

/** What a SecretWriter was asked to do; `fail` fails its applies. */
function fakeSecrets(fail?: (secret: V1Secret) => Error) {
  const calls: string[] = [];
  const writer = {
    async ensureNamespace(name: string) {
      calls.push(`namespace ${name}`);
    },
    async applySecret(secret: V1Secret) {
      calls.push(
        `apply ${secret.metadata?.namespace}/${secret.metadata?.name}`,
      );
      if (fail) {
        throw fail(secret);
      }
      return 'uid-1';
    },
    async deleteSecret(options: { name: string; uid?: string }) {
      calls.push(`delete ${options.name} ${options.uid}`);
      return options.name === 'gone'
        ? ('absent' as const)
        : ('replaced' as const);
    },
  };
  return { calls, secrets: writer as unknown as SecretWriter };
}

describe('requestSecret', () => {
  it('labels and annotates the Secret back to its request and component, its data base64-encoded', () => {
    const secret = requestSecret({
      name: 'orders-queue-amqp',
      namespace: 'team-checkout',
      request: REQUEST,
      resourceType: 'rabbitmq-queue',
      component: 'component:default/orders-service',
      labels: { 'paved.dev/environment': undefined, team: 'checkout' },
      annotations: { 'paved.dev/extra': 'yes' },
      data: { user: 'orders', password: 'pä$$' },
    });
    expect(secret).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: {
        name: 'orders-queue-amqp',
        namespace: 'team-checkout',
        labels: {
          'app.kubernetes.io/managed-by': 'paved',
          'paved.dev/request-id': 'req-1',
          'paved.dev/resource-type': 'rabbitmq-queue',
          team: 'checkout',
        },
        annotations: {
          'paved.dev/entity-ref': 'resource:default/orders-queue',
          'paved.dev/owner': 'group:default/checkout-team',
          'backstage.io/kubernetes-id': 'orders-service',
          'paved.dev/extra': 'yes',
        },
      },
      data: {
        user: Buffer.from('orders').toString('base64'),
        password: Buffer.from('pä$$', 'utf8').toString('base64'),
      },
    });
  });

  it('names no component when the request has none', () => {
    const secret = requestSecret({
      name: 's',
      namespace: 'n',
      request: REQUEST,
      resourceType: 't',
      data: {},
    });
    expect(secret.metadata?.annotations).not.toHaveProperty(
      'backstage.io/kubernetes-id',
    );
  });
});

describe('deliverCredentials', () => {
  const secret = (password: string) =>
    requestSecret({
      name: 'orders-queue-amqp',
      namespace: 'team-checkout',
      request: REQUEST,
      resourceType: 't',
      data: { password },
    });

  it('makes the namespace first (when asked), then issues, then writes the Secret', async () => {
    const { calls, secrets } = fakeSecrets();
    const delivered = await deliverCredentials({
      secrets,
      namespace: 'team-checkout',
      createNamespace: true,
      issue: async () => {
        calls.push('issue');
        return 's3cr3t';
      },
      secretValues: password => [password],
      secret,
    });
    expect(delivered).toEqual({ credentials: 's3cr3t', secretUid: 'uid-1' });
    expect(calls).toEqual([
      'namespace team-checkout',
      'issue',
      'apply team-checkout/orders-queue-amqp',
    ]);

    const inEnvironment = fakeSecrets();
    await deliverCredentials({
      secrets: inEnvironment.secrets,
      namespace: 'env-feature',
      createNamespace: false,
      issue: async () => 's3cr3t',
      secretValues: password => [password],
      secret,
    });
    expect(inEnvironment.calls).not.toContain('namespace env-feature');
  });

  it('keeps the credentials out of a failed write', async () => {
    const { secrets } = fakeSecrets(
      applied =>
        new Error(
          `could not write ${Buffer.from(
            applied.data!.password,
            'base64',
          ).toString()}`,
        ),
    );
    const failed = await deliverCredentials({
      secrets,
      namespace: 'team-checkout',
      createNamespace: false,
      issue: async () => 's3cr3t',
      secretValues: password => [password],
      secret,
    }).catch(error => error);
    expect(failed).toBeInstanceOf(Error);
    expect(failed.message).toBe('could not write [redacted]');
  });
});

describe('deleteRequestSecret', () => {
  it('deletes by the recorded uid and says what happened; nothing without a uid', async () => {
    const { calls, secrets } = fakeSecrets();
    const logger = mockServices.logger.mock();
    await deleteRequestSecret({
      secrets,
      name: 'gone',
      namespace: 'team-checkout',
      uid: 'uid-1',
      logger,
    });
    await deleteRequestSecret({
      secrets,
      name: 'retaken',
      namespace: 'team-checkout',
      uid: 'uid-2',
      logger,
    });
    await deleteRequestSecret({
      secrets,
      name: 'never-made',
      namespace: 'team-checkout',
      uid: undefined,
      logger,
    });
    expect(calls).toEqual(['delete gone uid-1', 'delete retaken uid-2']);
    expect(logger.info.mock.calls.map(([message]) => message)).toEqual([
      "Secret 'team-checkout/gone' is absent",
      "Secret 'team-checkout/retaken' is no longer the one provisioning made; left it alone",
    ]);
  });
});

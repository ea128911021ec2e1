import { InputError } from '@backstage/errors';
import { SecretWriter } from '@paved/plugin-provisioning-node';
import { expectScoreSecretRefs } from '@paved/test-utils';
import { amqpSecret } from './amqpSecret';
import { RabbitmqModuleConfig } from './config';
import { createRabbitmqResourceType } from './rabbitmqResourceType';
import { RabbitmqManagement } from './RabbitmqManagement';
import { QueueParameters } from './schema';

// Nothing runs a step here: the Score member is pure.
const type = createRabbitmqResourceType({
  config: {
    amqpHost: 'rabbitmq.internal',
    amqpPort: 5672,
    tls: false,
  } as unknown as RabbitmqModuleConfig,
  management: {} as RabbitmqManagement,
  secrets: {} as SecretWriter,
});
const score = type.score!;
const claim = { name: 'events', type: 'amqp', workload: 'shop' };

describe('rabbitmq-queue as a Score resource', () => {
  it('provides the Score type amqp, with environmentCopy', () => {
    expect(score.types).toEqual(['amqp']);
    expect(type.environmentCopy).toBeDefined();
  });

  it('makes one queue named after the resource, or the queues params lists', () => {
    expect(score.parameters(claim)).toEqual({ queues: [{ name: 'events' }] });
    const queues = [{ name: 'orders.created', deadLetter: true }];
    expect(score.parameters({ ...claim, params: { queues } })).toEqual({
      queues,
    });
  });

  it('refuses params it does not take and any class but default, naming the field', () => {
    expect(() =>
      score.parameters({ ...claim, params: { durable: true } }),
    ).toThrow(
      new InputError(
        "resources.events.params.durable: Score resource type 'amqp' takes no parameter 'durable'; it takes 'queues'",
      ),
    );
    expect(() =>
      score.parameters({ ...claim, params: { queues: 'orders' } }),
    ).toThrow('resources.events.params.queues: must be an array');
    expect(() => score.parameters({ ...claim, class: 'ha' })).toThrow(
      "resources.events.class: 'ha' is not a class of Score resource type 'amqp'; use 'default'",
    );
  });

  it("outputs score-k8s's names: values from the outputs, the password and uri from the Secret", () => {
    const request = {
      id: 'r1',
      type: 'rabbitmq-queue',
      name: 'shop-events',
      owner: 'group:default/team',
      createdBy: 'user:default/bob',
      state: 'ready' as const,
      parameters: { queues: [{ name: 'events' }] } as QueueParameters,
      // As QueueProvisioner.issueCredentials records them.
      outputs: {
        host: 'rabbitmq.internal',
        port: 5672,
        tls: false,
        vhost: 'shop-events',
        user: 'shop-events',
        secretName: 'shop-events-amqp',
        secretNamespace: 'dev-ns',
      },
    };
    const outputs = score.outputs(request);
    expect(outputs).toEqual({
      host: { value: 'rabbitmq.internal' },
      port: { value: 5672 },
      vhost: { value: 'shop-events' },
      username: { value: 'shop-events' },
      password: { secretKeyRef: { name: 'shop-events-amqp', key: 'password' } },
      uri: { secretKeyRef: { name: 'shop-events-amqp', key: 'uri' } },
    });
    // The Secret the type writes has those keys.
    const secret = amqpSecret({
      name: 'shop-events-amqp',
      namespace: 'dev-ns',
      request,
      endpoint: { host: 'rabbitmq.internal', port: 5672, tls: false },
      vhost: 'shop-events',
      user: 'shop-events',
      password: 'secret-value',
    });
    expectScoreSecretRefs(outputs, secret, 'secret-value');
  });
});

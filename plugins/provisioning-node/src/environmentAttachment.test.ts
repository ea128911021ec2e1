import { JsonObject } from '@backstage/types';
import {
  deliveryNamespace,
  environmentNameSchema,
  environmentReferences,
  PROVISIONING_PLUGIN,
  recordedDeliveryNamespace,
} from './environmentAttachment';
import { inMemoryRequestLookup } from './inMemoryRequestLookup';
import { ReferencedRequest } from './StepContext';

const OWNER = 'group:default/checkout-team';

const environment = (
  name: string,
  outputs: JsonObject,
  state: ReferencedRequest['state'] = 'ready',
): ReferencedRequest => ({
  id: `env-${name}`,
  type: 'environment',
  name,
  owner: OWNER,
  parameters: {},
  createdBy: 'user:default/bob',
  state,
  outputs,
});

const queue = (parameters: JsonObject, createdBy = 'user:default/bob') => ({
  id: 'queue-id',
  type: 'queue',
  name: 'orders',
  owner: OWNER,
  parameters,
  createdBy,
});

describe('environmentNameSchema', () => {
  it('is an optional DNS label that says what is attached', () => {
    const schema = environmentNameSchema('queue');
    expect(schema).toMatchObject({ type: 'string', maxLength: 63 });
    expect(schema.description).toMatch(/gets a queue of its own/);
    const pattern = new RegExp(String(schema.pattern));
    expect(pattern.test('orders-pr-7')).toBe(true);
    expect(pattern.test('Orders')).toBe(false);
    expect(pattern.test('-orders')).toBe(false);
    expect(pattern.test('orders-')).toBe(false);
  });
});

describe('environmentReferences', () => {
  it('needs the right to change the environment, naming the field, when a user attaches to it', () => {
    expect(environmentReferences(queue({ environmentName: 'main' }))).toEqual([
      {
        field: 'parameters.environmentName',
        type: 'environment',
        name: 'main',
        permission: 'update',
      },
    ]);
  });

  it('needs nothing without an environment, or for the copies the plugin makes itself', () => {
    expect(environmentReferences(queue({}))).toEqual([]);
    expect(environmentReferences(queue({ environmentName: '' }))).toEqual([]);
    expect(
      environmentReferences(
        queue({ environmentName: 'copy' }, PROVISIONING_PLUGIN),
      ),
    ).toEqual([]);
  });
});

describe('deliveryNamespace', () => {
  const ctx = (parameters: JsonObject, requests: ReferencedRequest[] = []) => ({
    request: queue(parameters),
    requests: inMemoryRequestLookup(requests),
  });

  it("is the team's namespace without an environment", async () => {
    await expect(deliveryNamespace(ctx({}))).resolves.toEqual({
      namespace: 'team-checkout',
    });
  });

  it("is the environment's namespace, as it recorded it", async () => {
    await expect(
      deliveryNamespace(
        ctx({ environmentName: 'main' }, [
          environment('main', { namespace: 'main-ns' }),
          environment('other', { namespace: 'other' }),
        ]),
      ),
    ).resolves.toEqual({ namespace: 'main-ns', environment: 'main' });
  });

  it('fails for good, naming the field, when the environment is gone', async () => {
    const error = await deliveryNamespace(
      ctx({ environmentName: 'main' }, [
        environment('main', { namespace: 'main' }, 'deleted'),
      ]),
    ).catch(e => e);
    expect(error.name).toBe('NonRetryableError');
    expect(error.message).toBe(
      "parameters.environmentName: there is no environment 'main' (any more)",
    );
  });

  it('is retried while the environment has no namespace yet', async () => {
    const error = await deliveryNamespace(
      ctx({ environmentName: 'main' }, [
        environment('main', {}, 'provisioning'),
      ]),
    ).catch(e => e);
    expect(error.name).toBe('Error');
    expect(error.message).toBe(
      "parameters.environmentName: environment 'main' has no namespace yet",
    );
  });
});

describe('recordedDeliveryNamespace', () => {
  const ctx = (parameters: JsonObject, outputs: JsonObject) => ({
    request: queue(parameters),
    outputs,
  });

  it('follows the Secret to where provisioning put it, even after the environment is gone', () => {
    expect(
      recordedDeliveryNamespace(
        ctx({ environmentName: 'main' }, { secretNamespace: 'main' }),
      ),
    ).toEqual({ namespace: 'main', environment: 'main' });
    expect(
      recordedDeliveryNamespace(ctx({}, { secretNamespace: 'team-checkout' })),
    ).toEqual({ namespace: 'team-checkout', environment: undefined });
    expect(
      recordedDeliveryNamespace(
        ctx({ environmentName: 'main' }, { amqpNamespace: 'main' }),
        'amqpNamespace',
      ),
    ).toEqual({ namespace: 'main', environment: 'main' });
  });

  it("is the team's namespace when provisioning never recorded one", () => {
    expect(
      recordedDeliveryNamespace(ctx({ environmentName: 'main' }, {})),
    ).toEqual({ namespace: 'team-checkout' });
  });
});

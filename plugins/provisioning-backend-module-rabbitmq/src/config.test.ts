import { mockServices } from '@backstage/backend-test-utils';
import { readRabbitmqConfig } from './config';

const read = (rabbitmq?: object) =>
  readRabbitmqConfig(
    mockServices.rootConfig({
      data: rabbitmq ? { provisioning: { rabbitmq } } : {},
    }),
  );

const valid = {
  managementUrl: 'http://127.0.0.1:15672/',
  adminUser: 'paved-admin',
  adminPassword: 's3cret-admin-password',
  amqpHost: 'rabbitmq.messaging.svc',
  amqpPort: 5672,
  kubernetes: { kubeconfigPath: '/etc/paved/kubeconfig' },
};

describe('readRabbitmqConfig', () => {
  it('is off without a provisioning.rabbitmq section', () => {
    expect(read()).toBeUndefined();
  });

  it('reads the section with its defaults', () => {
    expect(read(valid)).toEqual({
      managementUrl: 'http://127.0.0.1:15672',
      adminUser: 'paved-admin',
      adminPassword: 's3cret-admin-password',
      amqpHost: 'rabbitmq.messaging.svc',
      amqpPort: 5672,
      tls: false,
      backlogAlertThreshold: 1000,
      kubernetes: { kind: 'kubeconfig', path: '/etc/paved/kubeconfig' },
    });
    expect(
      read({
        ...valid,
        amqpPort: '5671',
        tls: true,
        backlogAlertThreshold: 50,
      }),
    ).toMatchObject({ amqpPort: 5671, tls: true, backlogAlertThreshold: 50 });
  });

  it.each([
    [
      { managementUrl: undefined },
      'provisioning.rabbitmq.managementUrl: is required',
    ],
    [
      { managementUrl: 'rabbitmq:15672' },
      'provisioning.rabbitmq.managementUrl: must be an http(s) URL',
    ],
    [
      // Credentials belong in adminUser/adminPassword, never in a URL that is logged.
      { managementUrl: 'http://admin:pw@rabbitmq:15672' },
      'provisioning.rabbitmq.managementUrl: must be an http(s) URL',
    ],
    [{ adminUser: '' }, 'provisioning.rabbitmq.adminUser: must not be empty'],
    [
      { adminPassword: undefined },
      'provisioning.rabbitmq.adminPassword: is required',
    ],
    [{ amqpPort: 70000 }, 'provisioning.rabbitmq.amqpPort: must be a TCP port'],
    [
      { amqpPort: 'five' },
      'provisioning.rabbitmq.amqpPort: must be a TCP port',
    ],
    [
      { amqpHost: 'a host' },
      'provisioning.rabbitmq.amqpHost: must be a host name',
    ],
    [{ tls: 'yes' }, 'provisioning.rabbitmq.tls: must be true or false'],
    [
      { backlogAlertThreshold: 0 },
      'provisioning.rabbitmq.backlogAlertThreshold: must be at least 1',
    ],
    [
      { vhostPrefix: 'x' },
      'provisioning.rabbitmq.vhostPrefix: is not a setting',
    ],
    [
      { kubernetes: { url: 'ftp://k8s' } },
      'provisioning.rabbitmq.kubernetes.url',
    ],
  ])('refuses %j, naming the key', (change, message) => {
    expect(() => read({ ...valid, ...change })).toThrow(message);
  });

  it('never puts the admin password into its errors', () => {
    const error = (() => {
      try {
        read({ ...valid, adminPassword: 12345678, amqpPort: 'x' });
        return undefined;
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/^Invalid config: /);
    expect(error?.message).not.toContain('12345678');
  });
});

// The real engine the module plugs into, in tests only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import provisioningPlugin from '@paved/plugin-provisioning-backend';
import { moduleStartup } from '@paved/test-utils';
import provisioningModuleRabbitmq from './index';

/** Starting the backend with the module: no config, a good one, a bad one. */
describe('the rabbitmq module at startup', () => {
  const startup = moduleStartup([
    provisioningPlugin,
    provisioningModuleRabbitmq,
  ]);
  const { kubeconfigPath: kubeconfig, start, typeIds } = startup;
  // Nothing listens there: the broker is not called at start-up.
  const rabbitmq = {
    managementUrl: 'http://127.0.0.1:1',
    adminUser: 'paved-admin',
    adminPassword: 'not-used-at-startup',
    amqpHost: '127.0.0.1',
    amqpPort: 5672,
    kubernetes: { kubeconfigPath: kubeconfig },
  };

  it('offers no queue type, and says why, without a provisioning.rabbitmq section', () =>
    startup.expectOffWithoutSection(
      'The rabbitmq-queue resource type is off: there is no provisioning.rabbitmq section in the config',
    ));

  it('offers the type with a valid section, even while the broker is down', async () => {
    const { logs, backend } = start({ provisioning: { rabbitmq } });
    const started = await backend;
    expect(await typeIds(started)).toEqual(['rabbitmq-queue']);
    expect(logs.text()).not.toContain('not-used-at-startup');
    await started.stop();
  });

  it('does not start with invalid config, and names the key without its value', async () => {
    const failed = await start({
      provisioning: {
        rabbitmq: { ...rabbitmq, amqpPort: 70000, adminUser: '' },
      },
    }).backend.catch(error => error as Error);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toContain(
      'provisioning.rabbitmq.amqpPort: must be a TCP port',
    );
    expect((failed as Error).message).toContain(
      'provisioning.rabbitmq.adminUser: must not be empty',
    );
    expect((failed as Error).message).not.toContain('not-used-at-startup');
    await expect(
      start({
        provisioning: {
          rabbitmq: {
            ...rabbitmq,
            kubernetes: { kubeconfigPath: '/nonexistent/kubeconfig' },
          },
        },
      }).backend,
    ).rejects.toThrow('provisioning.rabbitmq.kubernetes.kubeconfigPath');
  });
});

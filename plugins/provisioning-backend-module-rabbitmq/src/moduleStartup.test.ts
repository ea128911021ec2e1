import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
// The real engine the module plugs into, in tests only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import provisioningPlugin from '@paved/plugin-provisioning-backend';
import { capturingRootLogger } from '@paved/test-utils';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import provisioningModuleRabbitmq from './index';

/** Starting the backend with the module: no config, a good one, a bad one. */
describe('the rabbitmq module at startup', () => {
  const kubeconfig = join(
    mkdtempSync(join(tmpdir(), 'paved-rabbitmq-')),
    'kubeconfig',
  );
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
  );
  // Nothing listens there: the broker is not called at start-up.
  const rabbitmq = {
    managementUrl: 'http://127.0.0.1:1',
    adminUser: 'paved-admin',
    adminPassword: 'not-used-at-startup',
    amqpHost: '127.0.0.1',
    amqpPort: 5672,
    kubernetes: { kubeconfigPath: kubeconfig },
  };

  const start = (data: object) => {
    const logs = capturingRootLogger();
    return {
      logs,
      backend: startTestBackend({
        features: [
          provisioningPlugin,
          provisioningModuleRabbitmq,
          mockServices.rootConfig.factory({ data }),
          logs.factory,
        ],
      }),
    };
  };

  const typeIds = async (
    backend: Awaited<ReturnType<typeof startTestBackend>>,
  ) =>
    (
      await request(backend.server)
        .get('/api/provisioning/types')
        .set('authorization', mockCredentials.user.header())
    ).body.items.map((type: { id: string }) => type.id);

  it('offers no queue type, and says why, without a provisioning.rabbitmq section', async () => {
    const { logs, backend } = start({});
    const started = await backend;
    expect(await typeIds(started)).toEqual([]);
    expect(logs.records).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message:
          'The rabbitmq-queue resource type is off: there is no provisioning.rabbitmq section in the config',
      }),
    );
    await started.stop();
  });

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

import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
// The real engine the module plugs into, in tests only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import provisioningPlugin from '@paved/plugin-provisioning-backend';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { capturingRootLogger } from './__testUtils__/capturingLogger';
import provisioningModulePostgres from './index';

/** Starting the backend with the module: no config, a good one, a bad one. */
describe('the postgres module at startup', () => {
  const kubeconfig = join(
    mkdtempSync(join(tmpdir(), 'paved-pg-')),
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
  const target = {
    id: 'local',
    host: '127.0.0.1',
    adminUser: 'postgres',
    adminPassword: 'not-used-at-startup',
    sslMode: 'disable',
  };

  const start = (data: object) => {
    const logs = capturingRootLogger();
    return {
      logs,
      backend: startTestBackend({
        features: [
          provisioningPlugin,
          provisioningModulePostgres,
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

  it('offers no postgres type, and says why, without a provisioning.postgres section', async () => {
    const { logs, backend } = start({});
    const started = await backend;
    expect(await typeIds(started)).toEqual([]);
    expect(logs.records).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message:
          'The postgres resource type is off: there is no provisioning.postgres section in the config',
      }),
    );
    await started.stop();
  });

  it('offers the type with a kubeconfig file', async () => {
    const { backend } = start({
      provisioning: {
        postgres: {
          targets: [target],
          kubernetes: { kubeconfigPath: kubeconfig },
        },
      },
    });
    const started = await backend;
    expect(await typeIds(started)).toEqual([
      'postgres',
      'postgres-read-access',
    ]);
    await started.stop();
  });

  it('does not start with invalid config, and names the key', async () => {
    await expect(
      start({
        provisioning: {
          postgres: {
            targets: [target, { ...target, port: 'five' }],
            kubernetes: { kubeconfigPath: kubeconfig },
          },
        },
      }).backend,
    ).rejects.toThrow('provisioning.postgres.targets[1].port');
    await expect(
      start({
        provisioning: {
          postgres: {
            targets: [target],
            kubernetes: { kubeconfigPath: '/nonexistent/kubeconfig' },
          },
        },
      }).backend,
    ).rejects.toThrow(
      "Invalid config: provisioning.postgres.kubernetes.kubeconfigPath: cannot read '/nonexistent/kubeconfig'",
    );
  });
});

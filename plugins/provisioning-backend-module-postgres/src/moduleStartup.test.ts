// The real engine the module plugs into, in tests only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import provisioningPlugin from '@paved/plugin-provisioning-backend';
import { moduleStartup } from '@paved/test-utils';
import provisioningModulePostgres from './index';

/** Starting the backend with the module: no config, a good one, a bad one. */
describe('the postgres module at startup', () => {
  const startup = moduleStartup([
    provisioningPlugin,
    provisioningModulePostgres,
  ]);
  const { kubeconfigPath: kubeconfig, start, typeIds } = startup;
  const target = {
    id: 'local',
    host: '127.0.0.1',
    adminUser: 'postgres',
    adminPassword: 'not-used-at-startup',
    sslMode: 'disable',
  };

  it('offers no postgres type, and says why, without a provisioning.postgres section', () =>
    startup.expectOffWithoutSection(
      'The postgres resource type is off: there is no provisioning.postgres section in the config',
    ));

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

// The real engine the module plugs into, in tests only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import provisioningPlugin from '@paved/plugin-provisioning-backend';
import { moduleStartup } from '@paved/test-utils';
import provisioningModuleS3 from './index';

/** Starting the backend with the module: no config, a good one, a bad one. */
describe('the s3 module at startup', () => {
  const startup = moduleStartup([provisioningPlugin, provisioningModuleS3]);
  const { kubeconfigPath: kubeconfig, start, typeIds } = startup;
  // Nothing is called at startup: the addresses need not answer.
  const s3 = {
    endpoint: 'http://127.0.0.1:1',
    region: 'us-east-1',
    accessKeyId: 'root',
    secretAccessKey: 'not-used-at-startup',
    accessKeys: { type: 'versitygw', adminEndpoint: 'http://127.0.0.1:2' },
    kubernetes: { kubeconfigPath: kubeconfig },
  };

  it('offers no bucket type, and says why, without a provisioning.s3 section', () =>
    startup.expectOffWithoutSection(
      'The s3-bucket resource type is off: there is no provisioning.s3 section in the config',
    ));

  it('offers the bucket types with a valid section', async () => {
    const { backend } = start({ provisioning: { s3 } });
    const started = await backend;
    expect(await typeIds(started)).toEqual([
      's3-bucket',
      's3-bucket-read-access',
    ]);
    await started.stop();
  });

  it('does not start with invalid config, and names the key', async () => {
    await expect(
      start({ provisioning: { s3: { ...s3, region: 'Mars 1' } } }).backend,
    ).rejects.toThrow(
      'Invalid config: provisioning.s3.region: must be a region name',
    );
    await expect(
      start({
        provisioning: {
          s3: {
            ...s3,
            kubernetes: { kubeconfigPath: '/nonexistent/kubeconfig' },
          },
        },
      }).backend,
    ).rejects.toThrow(
      "Invalid config: provisioning.s3.kubernetes.kubeconfigPath: cannot read '/nonexistent/kubeconfig'",
    );
  });
});

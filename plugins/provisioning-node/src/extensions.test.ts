import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { isError } from '@backstage/errors';
import {
  ProvisioningResourceTypesExtensionPoint,
  provisioningResourceTypesExtensionPoint,
} from './extensions';
import { ResourceType } from './ResourceType';
import { NonRetryableError } from './NonRetryableError';

const bucket: ResourceType<{ region: string }> = {
  id: 'bucket',
  title: 'Bucket',
  description: 'An object storage bucket',
  parameters: { type: 'object', properties: { region: { type: 'string' } } },
  async provision(ctx) {
    await ctx.checkpoint({
      key: 'create',
      fn: () => ctx.request.parameters.region,
    });
  },
  async destroy() {},
};

describe('provisioningResourceTypesExtensionPoint', () => {
  it('carries resource types from a module to the provisioning plugin', async () => {
    const added: ResourceType<any>[] = [];
    const plugin = createBackendPlugin({
      pluginId: 'provisioning',
      register(env) {
        env.registerExtensionPoint(provisioningResourceTypesExtensionPoint, {
          addResourceType: type => added.push(type),
        } satisfies ProvisioningResourceTypesExtensionPoint);
        env.registerInit({
          deps: { logger: coreServices.logger },
          async init() {},
        });
      },
    });
    const module = createBackendModule({
      pluginId: 'provisioning',
      moduleId: 'bucket',
      register(reg) {
        reg.registerInit({
          deps: { types: provisioningResourceTypesExtensionPoint },
          async init({ types }) {
            types.addResourceType(bucket);
          },
        });
      },
    });

    const backend = await startTestBackend({ features: [plugin, module] });
    expect(added.map(type => type.id)).toEqual(['bucket']);
    await backend.stop();
  });

  it('has a NonRetryableError that steps throw when retrying cannot help', () => {
    const error = new NonRetryableError('region eu-mars-1 does not exist');
    expect(isError(error) && error.name).toBe('NonRetryableError');
  });
});

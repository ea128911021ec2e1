import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  provisioningResourceTypesExtensionPoint,
  ResourceType,
} from '@paved/plugin-provisioning-node';

/**
 * A provisioning module that adds `types`: stand-ins for the real resource types in
 * tests of what sits around the provisioning plugin (the catalog, the scaffolder),
 * so that they need no database server or cluster.
 */
export function standInResourceTypes(
  moduleId: string,
  types: ResourceType<any>[],
) {
  return createBackendModule({
    pluginId: 'provisioning',
    moduleId,
    register(reg) {
      reg.registerInit({
        deps: { extension: provisioningResourceTypesExtensionPoint },
        async init({ extension }) {
          for (const type of types) {
            extension.addResourceType(type);
          }
        },
      });
    },
  });
}

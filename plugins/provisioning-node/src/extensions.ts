import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { ResourceType } from './ResourceType';

/**
 * Lets modules add resource types to the provisioning plugin.
 *
 * @public
 */
export interface ProvisioningResourceTypesExtensionPoint {
  /** Fails the backend's start when the id is taken or the schema is invalid. */
  addResourceType(type: ResourceType<any>): void;
}

/**
 * Extension point for resource types, e.g. in a `provisioning-backend-module-postgres`:
 *
 * ```ts
 * createBackendModule({
 *   pluginId: 'provisioning',
 *   moduleId: 'postgres',
 *   register(reg) {
 *     reg.registerInit({
 *       deps: { types: provisioningResourceTypesExtensionPoint },
 *       async init({ types }) {
 *         types.addResourceType(postgresResourceType);
 *       },
 *     });
 *   },
 * });
 * ```
 *
 * @public
 */
export const provisioningResourceTypesExtensionPoint =
  createExtensionPoint<ProvisioningResourceTypesExtensionPoint>({
    id: 'provisioning.resource-types',
  });

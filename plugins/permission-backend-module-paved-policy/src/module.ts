import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { PavedPermissionPolicy } from './PavedPermissionPolicy';

/**
 * Installs {@link PavedPermissionPolicy}. Admin groups come from
 * `paved.permissions.adminGroups` (entity refs, e.g. `group:default/platform-team`).
 */
export const permissionModulePavedPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'paved-policy',
  register(reg) {
    reg.registerInit({
      deps: { config: coreServices.rootConfig, policy: policyExtensionPoint },
      async init({ config, policy }) {
        const adminGroups =
          config.getOptionalStringArray('paved.permissions.adminGroups') ?? [];
        // Normalised so that `platform-team` and `group:default/platform-team` match.
        const refs = adminGroups.map(ref =>
          stringifyEntityRef(parseEntityRef(ref, { defaultKind: 'group' })),
        );
        policy.setPolicy(new PavedPermissionPolicy(new Set(refs)));
      },
    });
  },
});

import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createAuthorizeAction } from './actions/authorize';
import { createDiagnosticsAction } from './actions/diagnostics';
import {
  createDatabaseActions,
  createExtendEnvironmentAction,
} from './actions/provisioningActions';
import { createRollbackAction } from './actions/rollback';
import { createRolloutRestartAction } from './actions/rolloutRestart';
import { createScaleAction } from './actions/scale';
import { ProvisioningRequests } from './clients/ProvisioningRequests';
import { ScaffolderTasks } from './clients/ScaffolderTasks';
import { RunbookKubernetes } from './kubernetes/RunbookKubernetes';

/**
 * The actions runbooks are made of: `paved:runbook:authorize`, the Kubernetes
 * fixes (`paved:kubernetes:*`), and self-service day-2 actions (`paved:database:*`,
 * `paved:environment:extend`). Starts without Kubernetes configured; the
 * Kubernetes actions then fail, naming `paved.runbooks.kubernetes`.
 */
export const scaffolderModuleRunbooks = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'runbooks',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        scaffolder: scaffolderActionsExtensionPoint,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        discovery,
        auth,
        userInfo,
        scaffolder,
        catalog,
      }) {
        // Read as the permission policy reads it, so both agree on who is an admin.
        const adminGroups = new Set(
          (
            config.getOptionalStringArray('paved.permissions.adminGroups') ?? []
          ).map(ref =>
            stringifyEntityRef(parseEntityRef(ref, { defaultKind: 'group' })),
          ),
        );
        const kubernetes = RunbookKubernetes.fromConfig(config);
        if (!kubernetes.configured) {
          logger.info(
            'Runbooks: no Kubernetes access (paved.runbooks.kubernetes); the Kubernetes runbook actions will fail until it is set',
          );
        }
        const provisioning = new ProvisioningRequests(discovery, auth);
        scaffolder.addActions(
          createAuthorizeAction({
            catalog,
            auth,
            userInfo,
            tasks: new ScaffolderTasks(discovery, auth),
            adminGroups,
          }),
          createRolloutRestartAction({ kubernetes }),
          createScaleAction({
            kubernetes,
            maxReplicas:
              config.getOptionalNumber('paved.runbooks.maxReplicas') ?? 10,
          }),
          createRollbackAction({ kubernetes }),
          createDiagnosticsAction({ kubernetes, provisioning }),
          ...createDatabaseActions({ provisioning }),
          createExtendEnvironmentAction({ provisioning }),
        );
      },
    });
  },
});

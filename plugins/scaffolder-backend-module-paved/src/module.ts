import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderTemplatingExtensionPoint } from '@backstage/plugin-scaffolder-node/alpha';
import { LocalRepositories } from '@paved/plugin-local-repositories-node';
import { teamNamespace } from '@paved/plugin-provisioning-common';
import { createCheckNameAction } from './actions/createCheckNameAction';
import { createDeployAction } from './actions/createDeployAction';
import { createDeployRollbackAction } from './actions/createDeployRollbackAction';
import { createLineageAction } from './actions/createLineageAction';
import { createProvisioningRequestAction } from './actions/createProvisioningRequestAction';
import { createPublishAction } from './actions/createPublishAction';
import { createRegisterAction } from './actions/createRegisterAction';
import { HttpDeploymentsClient } from './provisioning/DeploymentsClient';
import { HttpProvisioningClient } from './provisioning/ProvisioningClient';
import { createPublishTarget } from './publish/createPublishTarget';

/**
 * Paved's scaffolder actions and filters for golden paths: `paved:check-name`,
 * `paved:catalog:lineage`, `paved:publish`, `paved:catalog:register`,
 * `paved:provisioning:request`, `paved:deploy` and the `teamNamespace` filter.
 */
export const scaffolderModulePaved = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'paved',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        scaffolder: scaffolderActionsExtensionPoint,
        templating: scaffolderTemplatingExtensionPoint,
        catalog: catalogServiceRef,
      },
      async init({ config, discovery, auth, scaffolder, templating, catalog }) {
        const target = createPublishTarget(config);
        const repositories = LocalRepositories.fromConfig(config);
        const provisioning = new HttpProvisioningClient(discovery, auth);
        // Relative links when the backend runs without the app's config.
        const appBaseUrl = config.getOptionalString('app.baseUrl') ?? '';
        scaffolder.addActions(
          createCheckNameAction({ catalog, target }),
          createLineageAction(),
          createPublishAction({ target }),
          createRegisterAction({ catalog, repositories }),
          createProvisioningRequestAction({ client: provisioning, appBaseUrl }),
          createDeployAction({
            deployments: new HttpDeploymentsClient(discovery, auth),
            provisioning,
            appBaseUrl,
          }),
          createDeployRollbackAction({
            deployments: new HttpDeploymentsClient(discovery, auth),
            provisioning,
            appBaseUrl,
          }),
        );
        templating.addTemplateFilters({
          teamNamespace: owner => teamNamespace(String(owner)),
        });
      },
    });
  },
});

import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { provisioningResourceTypesExtensionPoint } from '@paved/plugin-provisioning-node';
import { loadCheckedKubeConfig } from '@paved/kubernetes-access';
import { EnvironmentsModuleConfig, readEnvironmentsConfig } from './config';
import { provisioningCalls } from './provisioningApi/HttpProvisioningCalls';
import { createEnvironmentResourceType } from './environmentResourceType';
import { KubernetesObjects } from './kubernetes';
import { createPullRequestRouter } from './pullRequests/createRouter';
import { PullRequestEnvironments } from './pullRequests/PullRequestEnvironments';

function createObjects(config: EnvironmentsModuleConfig) {
  return new KubernetesObjects(
    loadCheckedKubeConfig(
      config.kubernetes,
      'provisioning.environments.kubernetes',
    ),
  );
}

/**
 * The `environment` resource type of the provisioning plugin (a Kubernetes
 * namespace per request), configured under `provisioning.environments`, and the
 * pull-request environments endpoint `POST /api/provisioning/environments/pull-requests`.
 *
 * @public
 */
export const provisioningModuleEnvironments = createBackendModule({
  pluginId: 'provisioning',
  moduleId: 'environments',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        types: provisioningResourceTypesExtensionPoint,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        types,
        httpRouter,
        httpAuth,
        auth,
        discovery,
        catalog,
      }) {
        const settings = readEnvironmentsConfig(config);
        if (!settings) {
          logger.warn(
            'The environment resource type is off: there is no provisioning.environments section in the config',
          );
          return;
        }
        types.addResourceType(
          createEnvironmentResourceType({
            config: settings,
            objects: createObjects(settings),
            provisioning: provisioningCalls({ discovery, auth }),
          }),
        );
        // Served under the plugin's base URL: /api/provisioning/environments/pull-requests.
        httpRouter.use(
          createPullRequestRouter({
            environments: new PullRequestEnvironments({
              catalog,
              discovery,
              auth,
            }),
            httpAuth,
          }),
        );
        logger.info(
          `The environment resource type makes namespaces (ingress from namespace '${settings.ingressNamespace}')`,
        );
      },
    });
  },
});

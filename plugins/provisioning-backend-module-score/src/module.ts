import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { loadCheckedKubeConfig } from '@paved/kubernetes-access';
import {
  KubernetesObjects,
  provisioningCalls,
} from '@paved/plugin-provisioning-backend-module-environments';
import { provisioningResourceTypesExtensionPoint } from '@paved/plugin-provisioning-node';
import { readScoreConfig, SCORE_CONFIG_ROOT } from './config';
import { DatabaseDeploymentStore } from './database/DatabaseDeploymentStore';
import { createDeploymentsRouter } from './router/createRouter';
import { seedSampleHistory } from './sampleHistory/seedSampleHistory';
import { DeploymentService } from './service/DeploymentService';
import { httpDeploymentsProvisioning } from './service/DeploymentsProvisioning';
import { httpIncidentSource } from './service/IncidentSource';
import { KubernetesWorkloadCluster } from './workload/WorkloadCluster';
import { createWorkloadResourceType } from './workload/workloadResourceType';

/**
 * The `workload` resource type of the provisioning plugin (Score workloads deployed
 * into environments), configured under `provisioning.score`, with its deployment
 * records in the provisioning plugin's database.
 *
 * @public
 */
export const provisioningModuleScore = createBackendModule({
  pluginId: 'provisioning',
  moduleId: 'score',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        types: provisioningResourceTypesExtensionPoint,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        database,
        types,
        auth,
        discovery,
        httpRouter,
        httpAuth,
        catalog,
      }) {
        const settings = readScoreConfig(config);
        if (!settings) {
          logger.warn(
            `The workload resource type is off: there is no ${SCORE_CONFIG_ROOT} section in the config`,
          );
          return;
        }
        const store = await DatabaseDeploymentStore.create({ database });
        const objects = new KubernetesObjects(
          loadCheckedKubeConfig(
            settings.kubernetes,
            `${SCORE_CONFIG_ROOT}.kubernetes`,
          ),
        );
        types.addResourceType(
          createWorkloadResourceType({
            store,
            cluster: new KubernetesWorkloadCluster(objects),
            provisioning: provisioningCalls({ discovery, auth }),
            config: settings,
            baseDomain: settings.baseDomain,
          }),
        );

        // The deployments API under /api/provisioning/deployments (src/schema/openapi.yaml).
        httpRouter.use(
          createDeploymentsRouter({
            deployments: new DeploymentService({
              catalog,
              store,
              provisioning: httpDeploymentsProvisioning({ discovery, auth }),
              incidents: httpIncidentSource({ discovery, auth }),
              failureWindowHours: settings.failureWindowHours,
            }),
            httpAuth,
          }),
        );
        if (settings.sampleHistory) {
          // In the background: start-up does not wait for hundreds of rows, and a
          // sample that cannot be written is no reason for the portal not to start.
          seedSampleHistory({ store, logger }).catch(error =>
            logger.warn(
              `The sample organisation's deployment history was not recorded: ${error}`,
            ),
          );
        }

        logger.info(
          `The workload resource type deploys Score workloads (host names under '${settings.baseDomain}')`,
        );
      },
    });
  },
});

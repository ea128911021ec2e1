import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { loadCheckedKubeConfig } from '@paved/kubernetes-access';
import {
  PrometheusRuleWriter,
  provisioningResourceTypesExtensionPoint,
  SecretWriter,
} from '@paved/plugin-provisioning-node';
import { readRabbitmqConfig } from './config';
import { RabbitmqManagement } from './RabbitmqManagement';
import { createRabbitmqResourceType } from './rabbitmqResourceType';

/**
 * The `rabbitmq-queue` resource type of the provisioning plugin, configured under
 * `provisioning.rabbitmq`.
 *
 * @public
 */
export const provisioningModuleRabbitmq = createBackendModule({
  pluginId: 'provisioning',
  moduleId: 'rabbitmq',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        types: provisioningResourceTypesExtensionPoint,
      },
      async init({ config, logger, types }) {
        const settings = readRabbitmqConfig(config);
        if (!settings) {
          logger.warn(
            'The rabbitmq-queue resource type is off: there is no provisioning.rabbitmq section in the config',
          );
          return;
        }
        const kubeConfig = loadCheckedKubeConfig(
          settings.kubernetes,
          'provisioning.rabbitmq.kubernetes',
        );
        types.addResourceType(
          createRabbitmqResourceType({
            config: settings,
            management: new RabbitmqManagement({
              url: settings.managementUrl,
              user: settings.adminUser,
              password: settings.adminPassword,
            }),
            secrets: new SecretWriter(kubeConfig),
            alerts: new PrometheusRuleWriter(kubeConfig),
            appBaseUrl: config.getOptionalString('app.baseUrl'),
          }),
        );
        // Not checked against the broker here: a broker that is down at start-up
        // must not stop the portal; requests retry until it answers.
        logger.info(
          `The rabbitmq-queue resource type makes queues through ${settings.managementUrl}`,
        );
      },
    });
  },
});

import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { AgentActions, readAgentPolicy } from '@paved/agent-guardrails';
import { provisioningPermissions } from '@paved/plugin-provisioning-common';
import { provisioningResourceTypesExtensionPoint } from '@paved/plugin-provisioning-node';
import { systemClock } from './clock';
import { DatabaseOperationQueue } from './database/DatabaseOperationQueue';
import { DatabaseRequestStore } from './database/DatabaseRequestStore';
import { migrateDatabase } from '@paved/backend-plugin-utils';
import { NotificationsRequestNotifier } from './notifications/RequestNotifier';
import { notificationService } from '@backstage/plugin-notifications-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { PermissionRequestAuthorizer } from './permissions/RequestAuthorizer';
import {
  provisioningRequestResourceRef,
  provisioningRequestRules,
} from './permissions/rules';
import { registerProvisioningActions } from './actions/registerProvisioningActions';
import { createRouter } from './router/createRouter';
import { LocalClusterStatusFile } from './localCluster/LocalClusterStatusFile';
import { ApprovalService } from './service/ApprovalService';
import { DriftService } from './service/DriftService';
import { ExpiryService } from './service/ExpiryService';
import {
  readWarnBeforeMs,
  scheduleHousekeeping,
} from './service/scheduleHousekeeping';
import { StoreRequestLookup } from './service/StoreRequestLookup';
import { EventsUsageRecorder } from '@paved/plugin-adoption-node';
import { OperationService } from './service/OperationService';
import { ProvisioningPolicy } from './service/ProvisioningPolicy';
import { RequestService } from './service/RequestService';
import { ResourceTypeRegistry } from './service/ResourceTypeRegistry';
import { RequestWorker } from './worker/RequestWorker';
import { readWorkerOptions } from './worker/WorkerOptions';

/**
 * The provisioning plugin: durable requests for resources of the types that modules
 * register, with quotas, approvals, permissions, an audit trail and a leased worker.
 *
 * @public
 */
export const provisioningPlugin = createBackendPlugin({
  pluginId: 'provisioning',
  register(env) {
    const types = new ResourceTypeRegistry();
    env.registerExtensionPoint(provisioningResourceTypesExtensionPoint, {
      addResourceType: type => types.add(type),
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        lifecycle: coreServices.lifecycle,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        notifications: notificationService,
        events: eventsServiceRef,
        scheduler: coreServices.scheduler,
        userInfo: coreServices.userInfo,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const { config, logger, lifecycle, permissionsRegistry } = deps;
        const knex = await migrateDatabase(
          deps.database,
          '@paved/plugin-provisioning-backend',
        );
        const store = DatabaseRequestStore.create({ knex, clock: systemClock });
        permissionsRegistry.addResourceType({
          resourceRef: provisioningRequestResourceRef,
          permissions: provisioningPermissions,
          rules: provisioningRequestRules,
          getResources: ids => store.getRequests(ids),
        });

        const options = readWorkerOptions(config);
        const notifier = new NotificationsRequestNotifier(
          deps.notifications,
          logger,
        );
        const worker = new RequestWorker({
          notifier,
          queue: DatabaseOperationQueue.create({ knex, clock: systemClock }),
          registry: types,
          logger,
          options,
          requests: new StoreRequestLookup(store, types),
        });
        const services = {
          store,
          types,
          policy: ProvisioningPolicy.fromConfig(config),
          authorizer: new PermissionRequestAuthorizer(
            deps.permissions,
            permissionsRegistry.getPermissionRuleset(
              provisioningRequestResourceRef,
            ),
          ),
          onWorkQueued: () => worker.wake(),
          notifier,
          expiry: store,
        };
        const expiry = new ExpiryService({
          ...services,
          clock: systemClock,
          logger,
          auditor: deps.auditor,
          warnBeforeMs: readWarnBeforeMs(config),
        });
        const requests = new RequestService(services, { logger });
        const operations = new OperationService(services);
        deps.httpRouter.use(
          createRouter({
            requests,
            approvals: new ApprovalService(services),
            operations,
            expiry,
            httpAuth: deps.httpAuth,
            auditor: deps.auditor,
            usage: new EventsUsageRecorder('provisioning', deps.events, logger),
            localCluster: LocalClusterStatusFile.fromConfig(config, logger),
          }),
        );
        // The same services for AI agents, through the Actions Registry (MCP).
        const agentPolicy = readAgentPolicy(config);
        registerProvisioningActions({
          actions: new AgentActions({
            pluginId: 'provisioning',
            registry: deps.actionsRegistry,
            policy: agentPolicy,
            auditor: deps.auditor,
          }),
          agentPolicy,
          requests,
          operations,
          expiry,
          userInfo: deps.userInfo,
          auditor: deps.auditor,
          appBaseUrl: config.getOptionalString('app.baseUrl'),
        });
        await scheduleHousekeeping({
          config,
          scheduler: deps.scheduler,
          logger,
          expiry,
          drift: new DriftService({
            store,
            types,
            logger,
            auditor: deps.auditor,
          }),
        });

        if (options.enabled) {
          lifecycle.addStartupHook(() => worker.start());
          lifecycle.addShutdownHook(() => worker.stop());
          logger.info(
            `Provisioning worker ${options.workerId} runs ${options.concurrency} operations at a time`,
          );
        }
      },
    });
  },
});

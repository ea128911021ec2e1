import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { AgentActions, readAgentPolicy } from '@paved/agent-guardrails';
import { runbooksPermissions } from '@paved/plugin-runbooks-common';
import { registerRunbooksActions } from './actions/registerRunbooksActions';
import { createRouter } from './router/createRouter';
import { RunbookService } from './service/RunbookService';
import { ScaffolderClient } from './service/ScaffolderClient';
import { EventsUsageRecorder } from '@paved/plugin-adoption-node';

/**
 * The runbooks plugin: the runbooks (scaffolder Templates of type `runbook`) that
 * apply to an entity, their past runs, and starting one as the user, through its
 * REST API (people) and its actions (agents).
 *
 * @public
 */
export const runbooksPlugin = createBackendPlugin({
  pluginId: 'runbooks',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        deps.permissionsRegistry.addPermissions(runbooksPermissions);
        const scaffolder = new ScaffolderClient(deps.discovery, deps.auth);
        const runbooks = new RunbookService({
          catalog: deps.catalog,
          permissions: deps.permissions,
          scaffolder,
        });
        const usage = new EventsUsageRecorder(
          'runbooks',
          deps.events,
          deps.logger,
        );
        deps.httpRouter.use(
          createRouter({
            runbooks,
            httpAuth: deps.httpAuth,
            auditor: deps.auditor,
            usage,
          }),
        );
        registerRunbooksActions({
          actions: new AgentActions({
            pluginId: 'runbooks',
            registry: deps.actionsRegistry,
            policy: readAgentPolicy(deps.config),
            auditor: deps.auditor,
          }),
          runbooks,
          catalog: deps.catalog,
          permissions: deps.permissions,
          scaffolder,
          auditor: deps.auditor,
          usage,
        });
      },
    });
  },
});

import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AgentActions, readAgentPolicy } from '@paved/agent-guardrails';
import { incidentPermissions } from '@paved/plugin-incidents-common';
import { registerIncidentsActions } from './actions/registerIncidentsActions';
import { DatabaseIncidentStore } from './database/DatabaseIncidentStore';
import { NotificationsIncidentNotifier } from './notifications/IncidentNotifier';
import { createRouter } from './router/createRouter';
import { HttpRunbookRunsReader } from './runbooks/RunbookRunsReader';
import { IncidentService } from './service/IncidentService';
import { EventsUsageRecorder } from '@paved/plugin-adoption-node';

/**
 * The incidents plugin: incidents on catalog entities, opened and resolved by their
 * owning teams, with a timeline that includes the runbooks run meanwhile, and time
 * to restore statistics per service and team; through its REST API (people) and
 * its actions (agents).
 *
 * @public
 */
export const incidentsPlugin = createBackendPlugin({
  pluginId: 'incidents',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        notifications: notificationService,
        events: eventsServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const { logger } = deps;
        deps.permissionsRegistry.addPermissions(incidentPermissions);
        const incidents = new IncidentService({
          store: await DatabaseIncidentStore.create({
            database: deps.database,
          }),
          catalog: deps.catalog,
          permissions: deps.permissions,
          notifier: new NotificationsIncidentNotifier(
            deps.notifications,
            logger,
          ),
          runbookRuns: new HttpRunbookRunsReader(deps.discovery, deps.auth),
          logger,
        });
        const usage = new EventsUsageRecorder('incidents', deps.events, logger);
        deps.httpRouter.use(
          createRouter({
            incidents,
            httpAuth: deps.httpAuth,
            auditor: deps.auditor,
            usage,
          }),
        );
        registerIncidentsActions({
          actions: new AgentActions({
            pluginId: 'incidents',
            registry: deps.actionsRegistry,
            policy: readAgentPolicy(deps.config),
            auditor: deps.auditor,
          }),
          incidents,
          permissions: deps.permissions,
          auditor: deps.auditor,
          usage,
        });
      },
    });
  },
});

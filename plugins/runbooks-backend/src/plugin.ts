import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { runbooksPermissions } from '@paved/plugin-runbooks-common';
import { createRouter } from './router/createRouter';
import { RunbookService } from './service/RunbookService';
import { ScaffolderClient } from './service/ScaffolderClient';
import { EventsUsageRecorder } from '@paved/plugin-adoption-node';

/**
 * The runbooks plugin: the runbooks (scaffolder Templates of type `runbook`) that
 * apply to an entity, their past runs, and starting one as the user.
 *
 * @public
 */
export const runbooksPlugin = createBackendPlugin({
  pluginId: 'runbooks',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
      },
      async init(deps) {
        deps.permissionsRegistry.addPermissions(runbooksPermissions);
        const runbooks = new RunbookService({
          catalog: deps.catalog,
          permissions: deps.permissions,
          scaffolder: new ScaffolderClient(deps.discovery, deps.auth),
        });
        deps.httpRouter.use(
          createRouter({
            runbooks,
            httpAuth: deps.httpAuth,
            auditor: deps.auditor,
            usage: new EventsUsageRecorder(
              'runbooks',
              deps.events,
              deps.logger,
            ),
          }),
        );
      },
    });
  },
});

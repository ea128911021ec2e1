import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { adoptionPermissions } from '@paved/plugin-adoption-common';
import { DatabaseDashboardStore } from './database/DatabaseDashboardStore';
import { DatabaseEventStore } from './database/DatabaseEventStore';
import { DatabaseRollupStore } from './database/DatabaseRollupStore';
import { DatabaseSurveyStore } from './database/DatabaseSurveyStore';
import { migrateDatabase } from '@paved/backend-plugin-utils';
import { readStoredSecret } from './database/readSecret';
import { DatabaseScaffolderRunStore } from './database/ScaffolderRunStore';
import { createRouter } from './router/createRouter';
import { DashboardService } from './service/DashboardService';
import { Housekeeping } from './service/Housekeeping';
import { IngestionService } from './service/IngestionService';
import { readAdoptionOptions } from './service/options';
import { Pseudonymizer } from './service/Pseudonymizer';
import { ScaffolderRunCollector } from './service/ScaffolderRunCollector';
import { SurveyService } from './service/SurveyService';
import { TeamResolver } from './service/TeamResolver';
import { subscribeToUsageEvents } from './service/UsageEventSubscriber';

/**
 * The adoption plugin: takes in the portal's analytics events and the backend
 * plugins' usage events, rolls them up, records golden-path runs, runs the NPS
 * survey and serves the adoption dashboard's aggregates.
 *
 * @public
 */
export const adoptionPlugin = createBackendPlugin({
  pluginId: 'adoption',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
      },
      async init(deps) {
        const { logger, auth, catalog } = deps;
        const options = readAdoptionOptions(deps.config);
        const knex = await migrateDatabase(
          deps.database,
          '@paved/plugin-adoption-backend',
        );
        const people = options.pseudonymize
          ? Pseudonymizer.withSecret(
              options.pseudonymizationSecret ?? (await readStoredSecret(knex)),
            )
          : Pseudonymizer.identity();
        deps.permissionsRegistry.addPermissions(adoptionPermissions);

        const events = DatabaseEventStore.create({ knex });
        const ingestion = new IngestionService(events, people);
        const housekeeping = new Housekeeping({
          events,
          rollups: DatabaseRollupStore.create({ knex }),
          collector: new ScaffolderRunCollector({
            discovery: deps.discovery,
            auth,
            store: DatabaseScaffolderRunStore.create({ knex }),
            people,
            logger,
          }),
          logger,
          rawEventRetentionMs: options.rawEventRetentionMs,
        });

        deps.httpRouter.use(
          createRouter({
            ingestion,
            dashboard: new DashboardService({
              store: DatabaseDashboardStore.create({ knex }),
              teams: new TeamResolver(catalog, auth, people),
              catalog,
              auth,
              discovery: deps.discovery,
              logger,
              minimumGroupSize: options.minimumGroupSize,
              docsStaleAfterMs: options.docsStaleAfterMs,
            }),
            survey: new SurveyService({
              store: DatabaseSurveyStore.create({ knex }),
              people,
              periodMs: options.surveyPeriodMs,
            }),
            refreshRollups: () => housekeeping.refreshRollups(),
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            auditor: deps.auditor,
          }),
        );
        await subscribeToUsageEvents({
          events: deps.events,
          ingestion,
          logger,
        });
        await housekeeping.schedule(deps.scheduler, deps.config);
      },
    });
  },
});

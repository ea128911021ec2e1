import {
  coreServices,
  createBackendPlugin,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { migrateDatabase } from '@paved/backend-plugin-utils';
import { LocalRepositories } from '@paved/plugin-local-repositories-node';
import { upgradesPermissions } from '@paved/plugin-upgrades-common';
import {
  CampaignService,
  DatabaseCampaignStore,
  scheduleCampaignReminders,
} from './campaigns';
import { DatabaseChangeStore } from './database/DatabaseChangeStore';
import { readUpgradesOptions } from './options';
import { createRouter } from './router/createRouter';
import { scheduleSampleRepositories } from './sample/seedSampleRepositories';
import { UpgradeService } from './service/UpgradeService';
import { createChangeTarget } from './targets/createChangeTarget';
import { CatalogTemplateVersions } from './templates/CatalogTemplateVersions';
import { ScaffolderDryRunRenderer } from './templates/ScaffolderDryRunRenderer';

/**
 * The upgrades plugin: a component made from a golden path can move to a newer
 * version of its template through a change request on its repository (rendered by
 * the scaffolder's dry run, three-way merged with git), and campaigns move every
 * service of a template by a deadline.
 *
 * @public
 */
export const upgradesPlugin = createBackendPlugin({
  pluginId: 'upgrades',
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
        urlReader: coreServices.urlReader,
        catalog: catalogServiceRef,
        notifications: notificationService,
      },
      async init(deps) {
        const { config, logger, auth, catalog } = deps;
        const options = readUpgradesOptions(config);
        deps.permissionsRegistry.addPermissions(upgradesPermissions);
        const knex = await migrateDatabase(
          deps.database,
          '@paved/plugin-upgrades-backend',
        );

        const repositories = LocalRepositories.fromConfig(config);
        const versions = new CatalogTemplateVersions({
          catalog,
          auth,
          urlReader: deps.urlReader,
          logger,
        });
        const renderer = new ScaffolderDryRunRenderer({
          discovery: deps.discovery,
          auth,
        });
        // The service refreshes the component in the catalog after each merge it
        // makes (with the plugin's own credentials), so onMerged is not needed.
        const target = createChangeTarget({
          config,
          repositories,
          urlReader: deps.urlReader,
          logger,
        });
        const upgrades = new UpgradeService({
          store: DatabaseChangeStore.fromKnex(knex),
          versions,
          renderer,
          target,
          catalog,
          permissions: deps.permissions,
          auditor: deps.auditor,
          logger,
          author: options.author,
          serviceCredentials: () => auth.getOwnServiceCredentials(),
        });
        const campaignStore = DatabaseCampaignStore.create({ knex });
        const campaigns = new CampaignService({
          store: campaignStore,
          changes: upgrades,
          templates: versions,
          catalog,
          permissions: deps.permissions,
          auditor: deps.auditor,
          notifications: deps.notifications,
          logger,
        });

        deps.httpRouter.use(
          createRouter({ upgrades, campaigns, httpAuth: deps.httpAuth }),
        );
        await scheduleCampaignReminders({
          campaigns,
          store: campaignStore,
          notifications: deps.notifications,
          logger,
          scheduler: deps.scheduler,
          schedule: config.has('paved.upgrades.campaigns.reminderSchedule')
            ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
                config.getConfig('paved.upgrades.campaigns.reminderSchedule'),
              )
            : undefined,
        });

        if (options.sampleRepositories && target.kind === 'local') {
          await scheduleSampleRepositories({
            scheduler: deps.scheduler,
            getCredentials: () => auth.getOwnServiceCredentials(),
            catalog,
            versions,
            renderer,
            repositories,
            logger,
          });
        }
      },
    });
  },
});

import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { AgentActions, readAgentPolicy } from '@paved/agent-guardrails';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scorecardPermissions } from '@paved/plugin-scorecard-common';
import {
  CheckType,
  FactProvider,
  scorecardCheckTypesExtensionPoint,
  scorecardFactProvidersExtensionPoint,
} from '@paved/plugin-scorecard-node';
import { DatabaseScorecardStore } from './database/DatabaseScorecardStore';
import { compileTrack } from './engine/compileTrack';
import { Evaluator } from './engine/Evaluator';
import { operatorsWith } from './engine/operators';
import { assertValidTracks } from './engine/validateTracks';
import { registerScorecardActions } from './actions/registerScorecardActions';
import { builtInFactProviders } from './providers';
import { createRouter } from './router/createRouter';
import { scheduleEvaluation } from './service/scheduleEvaluation';
import { ScorecardService } from './service/ScorecardService';
import { readTracks } from './tracks/readTracks';

/**
 * Maturity scorecards: tracks of levels of checks over facts from providers.
 *
 * @public
 */
export const scorecardPlugin = createBackendPlugin({
  pluginId: 'scorecard',
  register(env) {
    const extraProviders: FactProvider[] = [];
    env.registerExtensionPoint(scorecardFactProvidersExtensionPoint, {
      addFactProvider(...providers) {
        extraProviders.push(...providers);
      },
    });
    const checkTypes: CheckType[] = [];
    env.registerExtensionPoint(scorecardCheckTypesExtensionPoint, {
      addCheckType(...types) {
        checkTypes.push(...types);
      },
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        lifecycle: coreServices.rootLifecycle,
        catalog: catalogServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const { config, logger } = deps;
        const providers = [...builtInFactProviders(config), ...extraProviders];
        const knownFacts = new Set<string>();
        for (const provider of providers) {
          for (const fact of provider.facts) {
            if (knownFacts.has(fact.id)) {
              throw new Error(
                `Scorecard fact '${fact.id}' is provided twice (again by '${provider.id}')`,
              );
            }
            knownFacts.add(fact.id);
          }
        }
        const definitions = readTracks(config, knownFacts, m => logger.warn(m));
        const operators = operatorsWith(checkTypes);
        assertValidTracks(definitions, knownFacts, operators);
        const tracks = definitions.map(d => compileTrack(d, operators));

        const store = await DatabaseScorecardStore.create(deps);
        const evaluator = new Evaluator({
          ...deps,
          store,
          providers,
          tracks,
          kinds: config.getOptionalStringArray('scorecard.kinds') ?? [
            'Component',
          ],
        });
        const service = new ScorecardService({
          ...deps,
          store,
          evaluator,
          tracks,
          knownFacts,
          operators,
        });
        deps.permissionsRegistry.addPermissions(scorecardPermissions);
        await scheduleEvaluation({ ...deps, evaluator });
        deps.httpRouter.use(createRouter({ ...deps, service }));
        registerScorecardActions({
          ...deps,
          actions: new AgentActions({
            pluginId: 'scorecard',
            registry: deps.actionsRegistry,
            policy: readAgentPolicy(config),
            auditor: deps.auditor,
          }),
          service,
          appBaseUrl: config.getOptionalString('app.baseUrl'),
        });
      },
    });
  },
});

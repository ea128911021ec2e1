/*
 * The baseline of bench/catalog.mjs: a backend with only stock Backstage plugins, the
 * ones `@backstage/create-app` puts in a new app's backend, at the versions this
 * repository uses (packages/backend's dependencies), and none of Paved's. It reads the
 * same configuration files as Paved's backend (keys of plugins it lacks are ignored),
 * so both run the same catalog locations, search schedules and database server.
 *
 *   node --require @backstage/cli-node/config/nodeTransform.cjs bench/stock-backend.ts --config ...
 */
import { createBackend } from '@backstage/backend-defaults';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';

/**
 * create-app's policy (@backstage/plugin-permission-backend-module-allow-all-policy,
 * not installed in this repository): every request allowed, after the same round trip
 * to the permission backend that Paved's policy gets.
 */
const allowAllPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'bench-allow-all-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy({
          async handle() {
            return { result: AuthorizeResult.ALLOW };
          },
        });
      },
    });
  },
});

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);

backend.add(import('@backstage/plugin-techdocs-backend'));

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(allowAllPolicy);

backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

backend.add(import('@backstage/plugin-kubernetes-backend'));

backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.start();

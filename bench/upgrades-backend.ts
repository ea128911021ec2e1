/*
 * The backend bench/upgrades.mjs measures, in a process of its own: the real catalog
 * (with the scaffolder entity model and the local-repositories provider), the real
 * scaffolder with Paved's module (its dry-run API renders the templates), the real
 * upgrades plugin, the notifications plugin (campaigns notify owners), the real
 * scheduler and a database per plugin on the bench Postgres. Credentials and
 * permissions are the test backend's stand-ins: users are `Authorization: Bearer
 * mock-user-token:{"sub":"<ref>"}`, the user named by UPGRADES_BENCH_ADMIN is a
 * member of group:default/platform-team, and every permission is allowed, which is
 * what Paved's policy answers that group. (The real permission backend refuses the
 * stand-in tokens: it cannot tell a plugin's call on a user's behalf from the user's
 * own; so the policy's round trips are not measured.)
 *
 *   node --require @backstage/cli-node/config/nodeTransform.cjs bench/upgrades-backend.ts
 *
 * Environment: UPGRADES_BENCH_DATABASE_URL (a Postgres superuser URL without a
 * database), UPGRADES_BENCH_PREFIX (its databases' name prefix),
 * UPGRADES_BENCH_REPOSITORIES (paved.localRepositories.directory),
 * UPGRADES_BENCH_TEMPLATE (the template.yaml the catalog registers),
 * UPGRADES_BENCH_ADMIN (the platform-team user's entity ref). Prints `READY <port>`.
 */
import {
  BackstageCredentials,
  BackstageUserPrincipal,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import catalogModuleLocalRepositories from '@paved/plugin-catalog-backend-module-local-repositories';
import scaffolderModulePaved from '@paved/plugin-scaffolder-backend-module-paved';
import upgradesPlugin from '@paved/plugin-upgrades-backend';

const PLATFORM_TEAM = 'group:default/platform-team';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main() {
  const admin = env('UPGRADES_BENCH_ADMIN');
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleScaffolderEntityModel,
      catalogModuleLocalRepositories,
      scaffolderPlugin,
      scaffolderModulePaved,
      upgradesPlugin,
      // A campaign notifies each service's owners as it opens the service's change.
      notificationsPlugin,
      mockServices.rootLogger.factory({ level: 'warn' }),
      // The real scheduler: the tests' stand-in runs tasks once, at startup, and the
      // local-repositories provider must list the checkouts every few seconds.
      schedulerServiceFactory,
      // What the sign-in resolver would put in a platform-team user's token.
      createServiceFactory({
        service: coreServices.userInfo,
        deps: {},
        factory: () => ({
          async getUserInfo(credentials: BackstageCredentials) {
            const { userEntityRef } =
              credentials.principal as BackstageUserPrincipal;
            return {
              userEntityRef,
              ownershipEntityRefs:
                userEntityRef === admin
                  ? [userEntityRef, PLATFORM_TEAM]
                  : [userEntityRef],
            };
          },
        }),
      }),
      mockServices.rootConfig.factory({
        data: {
          // The notifications' links (no frontend runs).
          app: { baseUrl: 'http://localhost:3000' },
          backend: {
            database: {
              client: 'pg',
              connection: env('UPGRADES_BENCH_DATABASE_URL'),
              prefix: env('UPGRADES_BENCH_PREFIX'),
            },
          },
          paved: {
            scaffolder: { publish: { target: 'local' } },
            localRepositories: {
              directory: env('UPGRADES_BENCH_REPOSITORIES'),
            },
          },
          catalog: {
            rules: [{ allow: ['Component', 'Location', 'Template', 'Group'] }],
            locations: [
              { type: 'file', target: env('UPGRADES_BENCH_TEMPLATE') },
            ],
          },
        },
      }),
    ],
  });
  const address = backend.server.address();
  // eslint-disable-next-line no-console
  console.log(
    `READY ${typeof address === 'object' && address ? address.port : address}`,
  );
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});

/*
 * The adoption plugin alone in a backend of its own, for bench/adoption.mjs: the real
 * plugin code, HTTP stack and connection pool on the bench Postgres, with mock
 * credentials (users are `Authorization: Bearer mock-user-token:{"sub":"<ref>"}`),
 * permissions that allow everything, a small in-memory catalog and no scheduler
 * (the bench triggers rollups itself with POST /dashboard/refresh).
 *
 *   node --require @backstage/cli-node/config/nodeTransform.cjs bench/adoption-backend.ts
 *
 * Environment: ADOPTION_BENCH_DATABASE_URL (a Postgres database URL). Prints
 * `READY <port>` when it listens.
 */
import {
  coreServices,
  createServiceFactory,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DefaultEventsService,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import { knex as createKnex } from 'knex';
import adoptionPlugin from '@paved/plugin-adoption-backend';

async function main() {
  const knex = createKnex({
    client: 'pg',
    connection: process.env.ADOPTION_BENCH_DATABASE_URL,
    pool: { min: 2, max: 20 },
  });
  const noScheduler: SchedulerService = {
    scheduleTask: async () => {},
    triggerTask: async () => {},
    createScheduledTaskRunner: () => ({ run: async () => {} }),
    getScheduledTasks: async () => [],
  };
  const entities = [
    ...['node-service', 'postgres-database', 'react-web-app'].map(name => ({
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: {
        name,
        namespace: 'default',
        annotations: { 'backstage.io/time-saved': 'PT2H' },
      },
      spec: {},
    })),
    ...Array.from({ length: 10 }, (_, i) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: `svc${i}`,
        namespace: 'default',
        annotations: {
          'backstage.io/techdocs-ref': 'dir:.',
          'paved.dev/template': 'template:default/node-service',
        },
      },
      spec: { type: 'service', owner: 'team', lifecycle: 'production' },
    })),
  ];
  const bus = DefaultEventsService.create({
    logger: mockServices.rootLogger({ level: 'error' }),
  });
  const backend = await startTestBackend({
    features: [
      adoptionPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({ data: {} }),
      mockServices.permissions.factory(),
      catalogServiceMock.factory({ entities }),
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => noScheduler,
      }),
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        factory: () => bus,
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

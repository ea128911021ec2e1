import { mockServices } from '@backstage/backend-test-utils';
import { ResourceType } from '@paved/plugin-provisioning-node';
import { knex as createKnex, Knex } from 'knex';
import { Clock } from '../clock';
import { DatabaseOperationQueue } from '../database/DatabaseOperationQueue';
import { DatabaseRequestStore } from '../database/DatabaseRequestStore';
import { migrateDatabase } from '@paved/backend-plugin-utils';
import { NewRequest } from '../database/RequestStore';
import { ResourceTypeRegistry } from '../service/ResourceTypeRegistry';
import { RequestWorker } from '../worker/RequestWorker';
import { WorkerOptions } from '../worker/WorkerOptions';

export const TEST_WORKER_OPTIONS: Omit<WorkerOptions, 'workerId'> = {
  enabled: true,
  concurrency: 4,
  pollIntervalMs: 20,
  leaseMs: 30_000,
  heartbeatMs: 10_000,
  observeIntervalMs: 5_000,
  shutdownGraceMs: 5_000,
  retry: { maxAttempts: 3, initialBackoffMs: 1_000, maxBackoffMs: 10_000 },
};

/** The store, queue and workers of the engine on a test database, without HTTP. */
export async function createTestEngine(
  knex: Knex,
  options: { clock: Clock; types: ResourceType[] },
) {
  await migrateDatabase(
    mockServices.database({ knex }),
    '@paved/plugin-provisioning-backend',
  );
  const registry = new ResourceTypeRegistry();
  options.types.forEach(type => registry.add(type));
  const store = DatabaseRequestStore.create({ knex, clock: options.clock });
  const queue = DatabaseOperationQueue.create({ knex, clock: options.clock });

  return {
    store,
    queue,
    registry,
    /** A worker with its own id; `db` lets it use its own connection pool (a second process). */
    worker(
      workerId: string,
      overrides: Partial<WorkerOptions> = {},
      db: Knex = knex,
    ) {
      return new RequestWorker({
        queue:
          db === knex
            ? queue
            : DatabaseOperationQueue.create({ knex: db, clock: options.clock }),
        registry,
        logger: mockServices.logger.mock(),
        options: { ...TEST_WORKER_OPTIONS, workerId, ...overrides },
      });
    },
    /** Stores a request the way the API does after validation and policy. */
    request(input: Partial<NewRequest> & { name: string }) {
      return store.createRequest({
        type: 'fake',
        owner: 'group:default/payments-team',
        parameters: { environment: 'dev', sizeGb: 10 },
        createdBy: 'user:default/bob',
        quotaCost: 1,
        ...input,
      });
    },
  };
}

/**
 * A second connection pool to the same database, as a second backend process would
 * have. SQLite test databases live in memory in this process, so they are shared.
 */
export function secondConnection(knex: Knex): Knex {
  if (knex.client.config.client !== 'pg') {
    return knex;
  }
  return createKnex({
    client: 'pg',
    connection: knex.client.config.connection,
    pool: { min: 0, max: 5 },
  });
}

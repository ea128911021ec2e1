import {
  BackendFeature,
  coreServices,
  createServiceFactory,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { capturingRootLogger } from '../capturingLogger';
import { requireTestPostgres } from '../testPostgres';
import { provisioningApi } from './provisioningApi';
import { testWorkerConfig } from './testWorkerConfig';

type EngineDatabase = Awaited<ReturnType<TestDatabases['init']>>;

/** The engine's tables that hold what requests did. */
const ENGINE_TABLES = [
  'provisioning_requests',
  'provisioning_operations',
  'provisioning_events',
  'provisioning_checkpoints',
];

/**
 * Starts a test backend with the provisioning plugin and resource type modules
 * (`features`; the plugin is passed in like the modules, as this package cannot depend
 * on it) and `config`, whose `provisioning.worker` is `testWorkerConfig()` unless it
 * says otherwise.
 */
export function startProvisioningBackend(options: {
  features: BackendFeature[];
  config: JsonObject;
  /** The engine's database; SQLite in memory when absent. */
  database?: EngineDatabase;
  /** A scheduler whose tasks the test triggers; the real one when absent. */
  scheduler?: SchedulerService;
}): Promise<TestBackend> {
  const { database, scheduler } = options;
  const provisioning = (options.config.provisioning ?? {}) as JsonObject;
  return startTestBackend({
    features: [
      ...options.features,
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          provisioning: { worker: testWorkerConfig(), ...provisioning },
        },
      }),
      ...(database ? [mockServices.database.factory({ knex: database })] : []),
      ...(scheduler
        ? [
            createServiceFactory({
              service: coreServices.scheduler,
              deps: {},
              factory: () => scheduler,
            }),
          ]
        : []),
    ],
  });
}

/**
 * The backend of an end-to-end test of resource type modules: the provisioning plugin
 * and the modules (passed in, as this package cannot depend on the plugin), the
 * engine's tables on a fresh database of the test run's PostgreSQL (fails, never
 * skips, without it), a scheduler whose tasks the test triggers, and every log record
 * kept. Call it where `describe` runs (it stops the backend and then removes the
 * database after the tests), then `start` in `beforeAll`. Its `expectSecretsKeptOut`
 * checks that credentials went nowhere but to Secrets.
 */
export function provisioningTestBackend() {
  let database: EngineDatabase | undefined;
  let backend: TestBackend | undefined;
  // Declared before the database's own hook, so that it runs first (after* hooks run
  // in the order they are declared): the worker stops before its database closes.
  afterAll(async () => {
    await backend?.stop();
  });
  const pg = requireTestPostgres();
  const databases = TestDatabases.create({ ids: [pg.databaseId] });
  const scheduler = mockServices.scheduler();
  const logs = capturingRootLogger();

  const started = () => {
    if (!backend || !database) {
      throw new Error('the test backend has not started');
    }
    return { backend, database };
  };

  return {
    scheduler,
    logs,
    /** Starts the backend (see `startProvisioningBackend`) on a fresh database. */
    async start(options: {
      features: BackendFeature[];
      config: JsonObject;
    }): Promise<TestBackend> {
      database = await databases.init(pg.databaseId);
      backend = await startProvisioningBackend({
        features: [...options.features, logs.factory],
        config: options.config,
        database,
        scheduler,
      });
      return backend;
    },
    /** The started backend's HTTP server. */
    server: (): TestBackend['server'] => started().backend.server,
    /** The engine's database, once started. */
    database: () => started().database,
    /**
     * Expects none of `secrets` (passwords, secret keys the test saw) in the details
     * of the requests (as `user` reads them), in any of the engine's stored rows or in
     * any log record: credentials go to Secrets only.
     */
    async expectSecretsKeptOut(options: {
      secrets: Iterable<string>;
      requestIds: Iterable<string>;
      user: string;
    }) {
      const db = started().database;
      const secrets = [...options.secrets];
      const leaks = (text: string) =>
        secrets.filter(secret => text.includes(secret));
      const { api } = provisioningApi(
        () => started().backend.server,
        options.user,
      );
      for (const id of options.requestIds) {
        const details = await api('get', `/requests/${id}`);
        expect(details.status).toBe(200);
        expect(leaks(JSON.stringify(details.body))).toEqual([]);
      }
      const tables = await db('information_schema.tables')
        .where({ table_schema: 'public' })
        .pluck('table_name');
      expect(tables).toEqual(expect.arrayContaining(ENGINE_TABLES));
      for (const table of tables) {
        const rows = await db(table).select();
        // The table in the expectation names the one that leaks.
        expect({ table, leaks: leaks(JSON.stringify(rows)) }).toEqual({
          table,
          leaks: [],
        });
      }
      expect(logs.records.length).toBeGreaterThan(10);
      expect(leaks(logs.text())).toEqual([]);
    },
  };
}

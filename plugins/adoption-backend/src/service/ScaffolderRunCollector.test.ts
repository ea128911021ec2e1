import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { testDatabaseIds } from '@paved/test-utils';
import { Knex } from 'knex';
import { migrateDatabase } from '@paved/backend-plugin-utils';
import { DatabaseScaffolderRunStore } from '../database/ScaffolderRunStore';
import { Pseudonymizer } from './Pseudonymizer';
import { ScaffolderRunCollector } from './ScaffolderRunCollector';

const databases = TestDatabases.create({ ids: testDatabaseIds() });

const task = (id: number, status: string, createdAt: string) => ({
  id: `task-${id}`,
  spec: {
    templateInfo: { entityRef: 'template:default/node-service' },
    parameters: { owner: 'group:default/payments-team' },
  },
  status,
  createdAt,
  lastHeartbeatAt: new Date(Date.parse(createdAt) + 90_000).toISOString(),
  createdBy: 'user:default/bob',
});

describe.each(databases.eachSupportedId())(
  'recording scaffolder runs on %p',
  databaseId => {
    let knex: Knex;
    let fetchSpy: jest.SpiedFunction<typeof fetch>;
    afterAll(() => fetchSpy.mockRestore());

    beforeAll(async () => {
      fetchSpy = jest.spyOn(global, 'fetch');
      knex = await databases.init(databaseId);
      await migrateDatabase(
        mockServices.database({ knex }),
        '@paved/plugin-adoption-backend',
      );
    });

    it('records each finished task once, however often it reads them', async () => {
      const tasks = [
        task(3, 'cancelled', '2026-11-26T02:00:00Z'),
        task(2, 'failed', '2026-11-26T01:00:00Z'),
        task(1, 'completed', '2026-11-25T01:00:00Z'),
      ];
      const urls: string[] = [];
      fetchSpy.mockImplementation(async input => {
        urls.push(String(input));
        return new Response(JSON.stringify({ tasks, totalTasks: 3 }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      });
      const collector = new ScaffolderRunCollector({
        discovery: mockServices.discovery(),
        auth: mockServices.auth(),
        store: DatabaseScaffolderRunStore.create({ knex }),
        people: Pseudonymizer.identity(),
        logger: mockServices.logger.mock(),
        now: () => new Date('2026-11-26T03:00:00Z'),
      });
      expect(await collector.collect()).toEqual({ recorded: 3 });
      expect(await collector.collect()).toEqual({ recorded: 0 });
      expect(urls[0]).toContain('/api/scaffolder/v2/tasks?');
      expect(new URL(urls[0]).searchParams.getAll('status')).toEqual([
        'completed',
        'failed',
        'cancelled',
      ]);
      const rows = await knex('adoption_scaffolder_runs').orderBy('task_id');
      expect(
        rows.map(r => [r.task_id, r.outcome, Number(r.duration_ms), r.team]),
      ).toEqual([
        ['task-1', 'completed', 90_000, 'group:default/payments-team'],
        ['task-2', 'failed', 90_000, 'group:default/payments-team'],
        ['task-3', 'cancelled', 90_000, 'group:default/payments-team'],
      ]);
    });
  },
);

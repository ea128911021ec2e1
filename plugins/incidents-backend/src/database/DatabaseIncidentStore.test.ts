import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { testDatabaseIds } from '@paved/test-utils';
import { resolve } from 'node:path';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';

const databases = TestDatabases.create({ ids: testDatabaseIds() });

const incident = {
  id: 'i1',
  entityRef: 'component:default/orders-api',
  owner: 'group:default/payments-team',
  severity: 'sev2' as const,
  status: 'investigating' as const,
  summary: 'Checkout fails',
  openedBy: 'user:default/bob',
  openedAt: '2026-11-20T10:00:00.000Z',
};

const event = (at: string) => ({
  type: 'note' as const,
  message: 'x',
  actor: 'user:default/bob',
  at,
});

describe.each(databases.eachSupportedId())(
  'DatabaseIncidentStore on %p',
  id => {
    it('migrates up and down cleanly', async () => {
      const knex = await databases.init(id);
      await DatabaseIncidentStore.create({
        database: mockServices.database({ knex }),
      });
      expect(await knex.schema.hasTable('incidents')).toBe(true);
      expect(await knex.schema.hasTable('incident_events')).toBe(true);
      await knex.migrate.rollback(
        { directory: resolve(__dirname, '../../migrations') },
        true,
      );
      expect(await knex.schema.hasTable('incidents')).toBe(false);
    });

    it('skips migrations when the database service says so', async () => {
      const knex = await databases.init(id);
      await DatabaseIncidentStore.create({
        database: mockServices.database({ knex, migrations: { skip: true } }),
      });
      expect(await knex.schema.hasTable('incidents')).toBe(false);
    });

    it('resolves once, storing the time to restore', async () => {
      const knex = await databases.init(id);
      const store = await DatabaseIncidentStore.create({
        database: mockServices.database({ knex }),
      });
      await store.create(incident, event(incident.openedAt));
      const resolution = {
        resolvedBy: 'user:default/bob',
        resolvedAt: '2026-11-20T11:30:00.000Z',
        cause: 'pool size',
      };
      const resolved = await store.resolve(
        'i1',
        resolution,
        event(resolution.resolvedAt),
      );
      expect(resolved).toMatchObject({
        status: 'resolved',
        timeToRestoreMs: 90 * 60_000,
      });
      expect(
        await store.resolve(
          'i1',
          { ...resolution, resolvedAt: '2026-11-20T12:00:00.000Z' },
          event('2026-11-20T12:00:00.000Z'),
        ),
      ).toBeUndefined();
      expect(
        await store.setStatus('i1', 'monitoring', event(resolution.resolvedAt)),
      ).toBeUndefined();
      expect((await store.events('i1')).map(e => e.at)).toEqual([
        incident.openedAt,
        resolution.resolvedAt,
      ]);
      expect(
        await store.forStats({ since: Date.parse('2026-11-21T00:00:00Z') }),
      ).toEqual([]);
    });
  },
);

import { TestDatabases } from '@backstage/backend-test-utils';
import { testDatabaseIds } from '@paved/test-utils';
import { resolve } from 'node:path';
import { DatabaseCampaignStore } from './DatabaseCampaignStore';

const databases = TestDatabases.create({ ids: testDatabaseIds() });
const migrations = { directory: resolve(__dirname, '../../migrations') };

const campaign = {
  id: 'c1',
  title: 'typescript-service 1.1.0',
  templateRef: 'template:default/typescript-service',
  fromRange: '<1.1.0',
  toVersion: '1.1.0',
  deadline: '2027-01-31',
  createdBy: 'user:default/platform',
  createdAt: '2026-12-07T10:00:00.000Z',
};

const counts = (merged: number) => ({
  total: 2,
  notStarted: 0,
  open: 2 - merged,
  conflicted: 0,
  merged,
  closed: 0,
});

describe.each(databases.eachSupportedId())(
  'DatabaseCampaignStore on %p',
  id => {
    async function setup() {
      const knex = await databases.init(id);
      await knex.migrate.latest(migrations);
      let now = new Date('2026-12-07T12:00:00.000Z');
      const store = DatabaseCampaignStore.create({ knex, clock: () => now });
      return {
        knex,
        store,
        tick: (ms: number) => {
          now = new Date(now.getTime() + ms);
        },
      };
    }

    it('migrates up and down cleanly', async () => {
      const { knex } = await setup();
      expect(await knex.schema.hasTable('upgrade_campaign_reminders')).toBe(
        true,
      );
      await knex.migrate.rollback(migrations, true);
      for (const table of [
        'upgrade_campaigns',
        'upgrade_campaign_targets',
        'upgrade_campaign_snapshots',
        'upgrade_campaign_reminders',
      ]) {
        expect(await knex.schema.hasTable(table)).toBe(false);
      }
    });

    it('keeps campaigns, newest first, and their last run', async () => {
      const { store } = await setup();
      expect(await store.create(campaign)).toEqual(campaign);
      await store.create({
        ...campaign,
        id: 'c2',
        description: 'second',
        createdAt: '2026-12-08T10:00:00.000Z',
      });
      await store.setLastRun('c1', '2026-12-09T10:00:00.000Z');
      expect((await store.list()).map(c => c.id)).toEqual(['c2', 'c1']);
      expect(await store.get('c1')).toEqual({
        ...campaign,
        lastRunAt: '2026-12-09T10:00:00.000Z',
      });
      expect((await store.get('c2'))?.description).toBe('second');
      expect(await store.get('nope')).toBeUndefined();
    });

    it('keeps a target once found, with its first version, its change or problem', async () => {
      const { store } = await setup();
      await store.create(campaign);
      await store.addTargets('c1', [
        {
          entityRef: 'component:default/b',
          owner: 'group:default/x',
          fromVersion: '1.0.0',
        },
        { entityRef: 'component:default/a', fromVersion: '1.0.0' },
      ]);
      await store.setTargetOutcome('c1', 'component:default/a', {
        problem: 'no repository',
      });
      await store.setTargetOutcome('c1', 'component:default/b', {
        changeId: 'ch-b',
      });
      // found again, at another version and owner: the version stays, the owner follows
      await store.addTargets('c1', [
        {
          entityRef: 'component:default/b',
          owner: 'group:default/y',
          fromVersion: '1.0.5',
        },
      ]);
      expect(await store.targets('c1')).toEqual([
        {
          entityRef: 'component:default/a',
          fromVersion: '1.0.0',
          problem: 'no repository',
          updatedAt: '2026-12-07T12:00:00.000Z',
        },
        {
          entityRef: 'component:default/b',
          owner: 'group:default/y',
          fromVersion: '1.0.0',
          changeId: 'ch-b',
          updatedAt: '2026-12-07T12:00:00.000Z',
        },
      ]);
      // a later success clears the problem
      await store.setTargetOutcome('c1', 'component:default/a', {
        changeId: 'ch-a',
      });
      const [a] = await store.targets('c1');
      expect(a).toMatchObject({ changeId: 'ch-a' });
      expect(a.problem).toBeUndefined();
    });

    it('adds many targets at once', async () => {
      const { store } = await setup();
      await store.create(campaign);
      const many = Array.from({ length: 250 }, (_, i) => ({
        entityRef: `component:default/s${String(i).padStart(3, '0')}`,
        fromVersion: '1.0.0',
      }));
      await store.addTargets('c1', many);
      await store.addTargets('c1', many);
      expect(await store.targets('c1')).toHaveLength(250);
    });

    it('keeps snapshots oldest first', async () => {
      const { store, tick } = await setup();
      await store.create(campaign);
      await store.addSnapshot('c1', counts(0));
      tick(86_400_000);
      await store.addSnapshot('c1', counts(1));
      expect(await store.snapshots('c1')).toEqual([
        { at: '2026-12-07T12:00:00.000Z', counts: counts(0) },
        { at: '2026-12-08T12:00:00.000Z', counts: counts(1) },
      ]);
      expect(await store.snapshots('c2')).toEqual([]);
    });

    it('claims each reminder once', async () => {
      const { store } = await setup();
      await store.create(campaign);
      const ref = 'component:default/a';
      expect(await store.claimReminder('c1', ref, 'week')).toBe(true);
      expect(await store.claimReminder('c1', ref, 'week')).toBe(false);
      expect(await store.claimReminder('c1', ref, 'day')).toBe(true);
      const both = await Promise.all([
        store.claimReminder('c1', ref, 'overdue'),
        store.claimReminder('c1', ref, 'overdue'),
      ]);
      expect(both.filter(Boolean)).toHaveLength(1);
    });
  },
);

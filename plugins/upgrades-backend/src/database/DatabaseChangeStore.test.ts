import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { testDatabaseIds } from '@paved/test-utils';
import { resolve } from 'node:path';
import { NewChange } from './ChangeStore';
import {
  DatabaseChangeStore,
  MAX_CONFLICT_SIDE_CHARS,
} from './DatabaseChangeStore';

const databases = TestDatabases.create({ ids: testDatabaseIds() });

const change = (id: string, overrides: Partial<NewChange> = {}): NewChange => ({
  id,
  entityRef: 'component:default/orders-api',
  target: 'local',
  repository: 'orders-api',
  templateRef: 'template:default/typescript-service',
  fromVersion: '1.0.0',
  toVersion: '1.1.0',
  branch: 'paved/upgrade-typescript-service-1.1.0',
  title: 'Upgrade typescript-service 1.0.0 → 1.1.0',
  createdBy: 'user:default/bob',
  createdAt: '2026-12-07T10:00:00.000Z',
  ...overrides,
});

describe.each(databases.eachSupportedId())('DatabaseChangeStore on %p', id => {
  const storeOn = async () => {
    const knex = await databases.init(id);
    return {
      knex,
      store: await DatabaseChangeStore.create({
        database: mockServices.database({ knex }),
      }),
    };
  };

  it('migrates up and down cleanly', async () => {
    const { knex } = await storeOn();
    expect(await knex.schema.hasTable('upgrade_changes')).toBe(true);
    await knex.migrate.rollback(
      { directory: resolve(__dirname, '../../migrations') },
      true,
    );
    expect(await knex.schema.hasTable('upgrade_changes')).toBe(false);
    expect(await knex.schema.hasTable('upgrade_change_conflicts')).toBe(false);
  });

  it('keeps one active change per service and version, even when racing', async () => {
    const { store } = await storeOn();
    const results = await Promise.all(
      ['a', 'b', 'c'].map(n => store.insertProposing(change(n))),
    );
    expect(results.filter(r => r.created)).toHaveLength(1);
    const winner = results.find(r => r.created)!.change.id;
    expect(results.map(r => r.change.id)).toEqual([winner, winner, winner]);
    expect(results[0].change).toMatchObject({
      state: 'proposing',
      files: [],
      conflicts: [],
      createdAt: '2026-12-07T10:00:00.000Z',
    });

    // another version, another service: their own changes
    expect(
      (await store.insertProposing(change('d', { toVersion: '1.2.0' })))
        .created,
    ).toBe(true);
    expect(
      (
        await store.insertProposing(
          change('e', { entityRef: 'component:default/search' }),
        )
      ).created,
    ).toBe(true);

    // once merged, the same version can be proposed again
    await store.update(winner, {
      state: 'merged',
      mergeCommit: 'abc123',
      mergedAt: '2026-12-08T10:00:00.000Z',
      updatedAt: '2026-12-08T10:00:00.000Z',
    });
    const again = await store.insertProposing(
      change('f', { createdAt: '2026-12-09T10:00:00.000Z' }),
    );
    expect(again).toMatchObject({ created: true, change: { id: 'f' } });
    expect(await store.get(winner)).toMatchObject({
      state: 'merged',
      mergeCommit: 'abc123',
      mergedAt: '2026-12-08T10:00:00.000Z',
    });
  });

  it('updates a change with its files, conflicts and conflict sides', async () => {
    const { store } = await storeOn();
    await store.insertProposing(change('c1', { campaignId: 'camp-1' }));
    const big = 'x'.repeat(MAX_CONFLICT_SIDE_CHARS + 10);
    const updated = await store.update('c1', {
      state: 'conflicted',
      files: [
        { path: 'Dockerfile', status: 'modified', conflicted: true },
        { path: '.dockerignore', status: 'added', conflicted: false },
      ],
      conflicts: ['Dockerfile'],
      baseCommit: 'b'.repeat(40),
      headCommit: 'h'.repeat(40),
      updatedAt: '2026-12-07T10:01:00.000Z',
      conflictSides: [
        {
          path: 'Dockerfile',
          base: 'FROM node:20\n',
          ours: big,
          theirs: 'FROM node:22\n',
        },
        { path: 'logo.png', ours: 'PNG\u0000\u0001' },
      ],
    });
    expect(updated).toMatchObject({
      state: 'conflicted',
      conflicts: ['Dockerfile'],
      campaignId: 'camp-1',
      headCommit: 'h'.repeat(40),
      updatedAt: '2026-12-07T10:01:00.000Z',
    });
    expect(updated.files).toHaveLength(2);
    const sides = await store.conflictSides('c1');
    expect(sides.get('Dockerfile')).toMatchObject({
      base: 'FROM node:20\n',
      theirs: 'FROM node:22\n',
    });
    expect(sides.get('Dockerfile')!.ours!.length).toBeLessThan(
      MAX_CONFLICT_SIDE_CHARS + 200,
    );
    expect(sides.get('Dockerfile')!.ours).toMatch(/cut at/);
    expect(sides.get('logo.png')).toEqual({
      ours: '(binary file: not shown; see the branch)',
    });

    // replaced, not appended, when the change is proposed again
    await store.update('c1', {
      state: 'open',
      conflicts: [],
      updatedAt: '2026-12-07T10:02:00.000Z',
      conflictSides: [],
    });
    expect((await store.conflictSides('c1')).size).toBe(0);
    await expect(
      store.update('nope', { updatedAt: '2026-12-07T10:02:00.000Z' }),
    ).rejects.toThrow(/no change request 'nope'/);
  });

  it('lists and finds changes by service, campaign and state', async () => {
    const { store } = await storeOn();
    await store.insertProposing(
      change('old', {
        toVersion: '1.0.1',
        createdAt: '2026-12-01T00:00:00.000Z',
      }),
    );
    await store.update('old', {
      state: 'closed',
      closedAt: '2026-12-02T00:00:00.000Z',
      updatedAt: '2026-12-02T00:00:00.000Z',
    });
    await store.insertProposing(
      change('new', {
        campaignId: 'camp',
        createdAt: '2026-12-05T00:00:00.000Z',
      }),
    );
    await store.insertProposing(
      change('other', {
        entityRef: 'component:default/search',
        campaignId: 'camp',
      }),
    );

    expect((await store.list({})).map(c => c.id)).toEqual([
      'other',
      'new',
      'old',
    ]);
    expect(
      (await store.list({ campaignId: 'camp' })).map(c => c.id).sort(),
    ).toEqual(['new', 'other']);
    expect((await store.list({ states: ['closed'] })).map(c => c.id)).toEqual([
      'old',
    ]);
    expect(
      (
        await store.list({
          entityRef: 'component:default/orders-api',
          states: ['proposing', 'open'],
        })
      ).map(c => c.id),
    ).toEqual(['new']);

    expect(
      (await store.getActiveByEntity('component:default/orders-api'))?.id,
    ).toBe('new');
    expect(
      (await store.getActiveByEntity('component:default/orders-api', '1.1.0'))
        ?.id,
    ).toBe('new');
    expect(
      await store.getActiveByEntity('component:default/orders-api', '1.0.1'),
    ).toBeUndefined();
    expect(
      (await store.latestByEntity('component:default/orders-api'))?.id,
    ).toBe('new');
    expect(
      await store.latestByEntity('component:default/nothing'),
    ).toBeUndefined();

    await store.removeProposing('new');
    expect(await store.get('new')).toBeUndefined();
    await store.removeProposing('old'); // closed: kept
    expect(
      (await store.latestByEntity('component:default/orders-api'))?.id,
    ).toBe('old');
  });
});

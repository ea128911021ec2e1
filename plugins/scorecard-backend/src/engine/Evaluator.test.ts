import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { testDatabaseIds } from '@paved/test-utils';
import { level3, sampleCatalog } from '../__testUtils__/entities';
import { DatabaseScorecardStore } from '../database/DatabaseScorecardStore';
import {
  catalogFactProvider,
  lineageFactProvider,
  provisioningFactProvider,
} from '../providers';
import { defaultTrack } from '../tracks/defaultTrack';
import { readTracks } from '../tracks/readTracks';
import { ConfigReader } from '@backstage/config';
import { compileTrack } from './compileTrack';
import { Evaluator } from './Evaluator';

const databases = TestDatabases.create({ ids: testDatabaseIds() });

describe.each(databases.eachSupportedId())(
  'the evaluator on %p',
  databaseId => {
    async function setUp(initial: Entity[], changedBatchSize?: number) {
      const knex = await databases.init(databaseId);
      const store = await DatabaseScorecardStore.create({
        database: { getClient: async () => knex } as unknown as DatabaseService,
      });
      let catalog = catalogServiceMock({ entities: initial });
      const providers = [
        catalogFactProvider,
        lineageFactProvider,
        provisioningFactProvider,
      ];
      const facts = new Set(providers.flatMap(p => p.facts.map(f => f.id)));
      const tracks = readTracks(new ConfigReader({}), facts, () => {}).map(
        track => compileTrack(track),
      );
      let now = new Date('2026-11-20T10:00:00Z');
      const evaluator = new Evaluator({
        catalog: new Proxy({} as any, {
          get: (_, p) => (catalog as any)[p].bind(catalog),
        }),
        auth: mockServices.auth(),
        discovery: mockServices.discovery(),
        logger: mockServices.logger.mock(),
        store,
        providers,
        tracks,
        kinds: ['Component'],
        now: () => now,
        changedBatchSize,
      });
      const write = jest.spyOn(store, 'write');
      return {
        knex,
        store,
        evaluator,
        write,
        setCatalog: (entities: Entity[]) => {
          catalog = catalogServiceMock({ entities });
        },
        setNow: (at: string) => {
          now = new Date(at);
        },
      };
    }

    it('re-scores only the entity that changed, and records its history', async () => {
      const entities = sampleCatalog();
      const t = await setUp(entities);
      expect(await t.evaluator.evaluateAll()).toMatchObject({
        evaluated: 3,
        changed: 3,
      });
      t.write.mockClear();

      // Nothing changed: the poll reads etags and evaluates nothing.
      expect(await t.evaluator.evaluateChanged()).toMatchObject({
        evaluated: 0,
      });
      expect(t.write).not.toHaveBeenCalled();

      // search gets a system (level 2 still fails on its API) and a new etag.
      const search = entities.find(e => e.metadata.name === 'search')!;
      const changed = {
        ...search,
        metadata: { ...search.metadata, etag: 'e2' },
        spec: { ...search.spec, system: 'shop' },
      };
      t.setCatalog(entities.map(e => (e === search ? changed : e)));
      t.setNow('2026-11-20T11:00:00Z');
      expect(await t.evaluator.evaluateChanged()).toMatchObject({
        evaluated: 1,
        changed: 1,
      });
      expect(t.write).toHaveBeenCalledTimes(1);
      const written = t.write.mock.calls[0][0];
      expect(written.entities.map(e => e.entityRef)).toEqual([
        'component:default/search',
      ]);
      expect(written.scores.map(s => s.entityRef)).toEqual([
        'component:default/search',
      ]);

      const history = await t.store.getHistory('component:default/search', 10);
      expect(history).toEqual([
        expect.objectContaining({
          level: 1,
          failing: expect.not.arrayContaining(['has-system']),
          recordedAt: '2026-11-20T11:00:00.000Z',
        }),
        expect.objectContaining({
          level: 1,
          failing: expect.arrayContaining(['has-system']),
          recordedAt: '2026-11-20T10:00:00.000Z',
        }),
      ]);
      // orders was not touched by the incremental run.
      expect(await t.store.getEvaluatedAt('component:default/orders')).toBe(
        '2026-11-20T10:00:00.000Z',
      );

      // A new owner with the same checks moves the entity to the new team's rollup.
      t.setCatalog(
        entities.map(e =>
          e === search
            ? {
                ...changed,
                metadata: { ...changed.metadata, etag: 'e3' },
                relations: [
                  { type: 'ownedBy', targetRef: 'group:default/team-a' },
                  ...changed.relations!.filter(r => r.type !== 'ownedBy'),
                ],
              }
            : e,
        ),
      );
      await t.evaluator.evaluateChanged();
      const teamA = await t.store.listLevels({
        trackId: 'platform-maturity',
        owners: ['group:default/team-a'],
      });
      expect(teamA.map(l => l.entityRef).sort()).toEqual([
        'component:default/orders',
        'component:default/search',
      ]);
      expect(
        await t.store.getHistory('component:default/search', 10),
      ).toHaveLength(2);

      // A full evaluation with nothing changed writes no history.
      await t.evaluator.evaluateAll();
      expect(
        await t.store.getHistory('component:default/orders', 10),
      ).toHaveLength(1);
    });

    it('scores the entities of a bulk import in passes of the batch size', async () => {
      const t = await setUp([], 2);
      expect(await t.evaluator.evaluateChanged()).toMatchObject({
        evaluated: 0,
      });
      // Three new entities at once, as while the catalog ingests: two passes.
      t.setCatalog(sampleCatalog());
      expect(await t.evaluator.evaluateChanged()).toMatchObject({
        evaluated: 3,
        changed: 3,
      });
      expect(t.write.mock.calls.map(c => c[0].entities.length)).toEqual([2, 1]);
      expect(
        (await t.store.listEntities()).map(e => e.entityRef).sort(),
      ).toEqual([
        'component:default/legacy',
        'component:default/orders',
        'component:default/search',
      ]);
      // Scored: the next poll finds nothing to do.
      t.write.mockClear();
      expect(await t.evaluator.evaluateChanged()).toMatchObject({
        evaluated: 0,
      });
      expect(t.write).not.toHaveBeenCalled();
    });

    it('removes entities gone from the catalog and keeps a daily level distribution', async () => {
      const t = await setUp(sampleCatalog());
      await t.evaluator.evaluateAll();
      t.setCatalog([
        ...sampleCatalog().filter(e => e.metadata.name !== 'legacy'),
        level3('billing'),
      ]);
      t.setNow('2026-11-21T10:00:00Z');
      expect(await t.evaluator.evaluateAll()).toMatchObject({
        evaluated: 3,
        removed: 1,
      });
      const trend = await t.store.getTrend('platform-maturity', '2026-11-01');
      expect(trend).toEqual([
        { day: '2026-11-20', level: 0, count: 1 },
        { day: '2026-11-20', level: 1, count: 1 },
        { day: '2026-11-20', level: 3, count: 1 },
        { day: '2026-11-21', level: 1, count: 1 },
        // billing's database is not in the catalog: no self-service infrastructure.
        { day: '2026-11-21', level: 2, count: 1 },
        { day: '2026-11-21', level: 3, count: 1 },
      ]);
    });

    it('has default-track facts for catalog, lineage and provisioning from the catalog', async () => {
      const t = await setUp(sampleCatalog());
      await t.evaluator.evaluateAll();
      const facts = new Map(
        (await t.store.listEntities()).map(e => [e.entityRef, e.facts]),
      );
      expect(facts.get('component:default/orders')).toMatchObject({
        'catalog.ownerExists': true,
        'catalog.apisWithoutDefinition': 0,
        'lineage.fromGoldenPath': true,
        'lineage.templateVersion': '1.0.0',
        'lineage.onLatestVersion': false,
        'provisioning.selfServiceResources': 1,
        'provisioning.manualResources': 0,
      });
      expect(facts.get('component:default/search')).toMatchObject({
        'catalog.apisWithoutDefinition': 1,
        'lineage.fromGoldenPath': false,
        'provisioning.selfServiceResources': 0,
        'provisioning.manualResources': 1,
      });
      expect(facts.get('component:default/legacy')).toMatchObject({
        'catalog.hasOwner': true,
        'catalog.ownerExists': false,
        'catalog.hasDescription': false,
      });
      expect(defaultTrack.levels.flatMap(l => l.checks)).toHaveLength(20);
    });
  },
);

import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseService } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { testDatabaseIds } from '@paved/test-utils';
import { DatabaseScorecardStore } from '../database/DatabaseScorecardStore';
import { StoredEntity } from '../database/ScorecardStore';
import { Evaluator } from '../engine/Evaluator';
import { ScorecardService, SIGNAL_TTL_MS } from './ScorecardService';

const databases = TestDatabases.create({ ids: testDatabaseIds() });

const component = (name: string, ownerExists: boolean): StoredEntity => ({
  entityRef: `component:default/${name}`,
  kind: 'Component',
  owner: 'group:default/a',
  etag: 'e',
  facts: { 'catalog.ownerExists': ownerExists },
  factsHash: `h-${ownerExists}`,
});

describe.each(databases.eachSupportedId())(
  'the organization maturity of the scorecard service on %p',
  databaseId => {
    afterEach(() => jest.restoreAllMocks());

    async function setUp() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseScorecardStore.create({
        database: { getClient: async () => knex } as unknown as DatabaseService,
      });
      let now = Date.parse('2026-12-07T10:00:00Z');
      const service = new ScorecardService({
        store,
        evaluator: {} as Evaluator,
        tracks: [],
        knownFacts: new Set(),
        auth: mockServices.auth(),
        discovery: mockServices.discovery(),
        logger: mockServices.logger.mock(),
        catalog: catalogServiceMock({
          entities: ['alice', 'bob'].map(name => ({
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'User',
            metadata: { name, namespace: 'default' },
            spec: {},
          })),
        }),
        now: () => now,
      });
      const write = (entities: StoredEntity[]) =>
        store.write({ at: new Date(now), entities, scores: [] });
      return {
        store,
        service,
        write,
        advance: (ms: number) => {
          now += ms;
        },
      };
    }

    const ownerEvidence = (m: any) => m.levels[1].criteria[0].evidence;

    it('counts the facts once per store revision, and again when any write or removal moves it', async () => {
      const { store, service, write } = await setUp();
      jest.spyOn(global, 'fetch').mockRejectedValue(new Error('no adoption'));
      await write([component('a', true), component('b', false)]);
      const list = jest.spyOn(store, 'listEntities');

      const [first, second] = await Promise.all([
        service.organizationMaturity(),
        service.organizationMaturity(),
      ]);
      expect(ownerEvidence(first)).toBe(
        '50% of components have an owner that exists (< 90%)',
      );
      expect(second).toEqual(first);
      expect(await service.organizationMaturity()).toEqual(first);
      // Concurrent and later requests of the same revision share one count.
      expect(list).toHaveBeenCalledTimes(1);

      const before = await store.getRevision();
      await write([component('b', true)]);
      expect(await store.getRevision()).toBeGreaterThan(before);
      expect(ownerEvidence(await service.organizationMaturity())).toBe(
        '100% of components have an owner that exists (≥ 90%)',
      );
      expect(list).toHaveBeenCalledTimes(2);

      await store.deleteEntities(['component:default/a']);
      const after = await service.organizationMaturity();
      expect(after.components).toBe(1);
      expect(list).toHaveBeenCalledTimes(3);

      // A write that changes nothing derived (no entities, no levels) keeps it.
      const kept = await store.getRevision();
      await write([]);
      expect(await store.getRevision()).toBe(kept);
    });

    it('counts again after a failed read instead of keeping the failure', async () => {
      const { store, service, write } = await setUp();
      jest.spyOn(global, 'fetch').mockRejectedValue(new Error('no adoption'));
      await write([component('a', true)]);
      jest
        .spyOn(store, 'listEntities')
        .mockRejectedValueOnce(new Error('connection lost'));
      await expect(service.organizationMaturity()).rejects.toThrow(
        'connection lost',
      );
      expect((await service.organizationMaturity()).components).toBe(1);
    });

    it('asks the adoption dashboard once per signal and interval, however many requests come', async () => {
      const { service, write, advance } = await setUp();
      await write([component('a', true)]);
      let mau = 1;
      const fetchMock = jest
        .spyOn(global, 'fetch')
        .mockImplementation(async input => {
          const url = String(input);
          const body = url.includes('/dashboard/nps')
            ? { responses: 12 }
            : { days: [{ day: '2026-12-06', mau }] };
          return new Response(JSON.stringify(body), {
            headers: { 'content-type': 'application/json' },
          });
        });
      const adoption = (m: any) => m.levels[3].criteria[2];

      const answers = await Promise.all(
        Array.from({ length: 20 }, () => service.organizationMaturity()),
      );
      expect(adoption(answers[0])).toMatchObject({ value: 0.5 });
      expect(answers[0].levels[4].criteria[0]).toMatchObject({
        value: 12,
        met: true,
      });
      expect(fetchMock).toHaveBeenCalledTimes(2); // active users, NPS

      mau = 2;
      advance(SIGNAL_TTL_MS - 1);
      expect(adoption(await service.organizationMaturity()).value).toBe(0.5);
      expect(fetchMock).toHaveBeenCalledTimes(2);

      advance(1);
      expect(adoption(await service.organizationMaturity()).value).toBe(1);
      expect(fetchMock).toHaveBeenCalledTimes(4);
    });

    it('keeps "no data" from a missing adoption plugin for the interval too', async () => {
      const { service, write, advance } = await setUp();
      await write([component('a', true)]);
      const fetchMock = jest
        .spyOn(global, 'fetch')
        .mockRejectedValue(new Error('ECONNREFUSED'));
      const first = await service.organizationMaturity();
      expect(first.levels[3].criteria[2].evidence).toMatch(/no data/);
      await service.organizationMaturity();
      expect(fetchMock).toHaveBeenCalledTimes(2);
      advance(SIGNAL_TTL_MS);
      await service.organizationMaturity();
      expect(fetchMock).toHaveBeenCalledTimes(4);
    });
  },
);

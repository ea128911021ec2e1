import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  CheckType,
  scorecardCheckTypesExtensionPoint,
} from '@paved/plugin-scorecard-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import Router from 'express-promise-router';
import { pavedPolicyPermissions, testDatabaseIds } from '@paved/test-utils';
import request from 'supertest';
import { sampleCatalog } from './__testUtils__/entities';
import { specErrors } from './__testUtils__/openApiSpec';
import { scorecardPlugin } from './plugin';

const ALICE = 'user:default/alice'; // platform-team: an admin in Paved's policy
const BOB = 'user:default/bob'; // team-a
const MEMBERSHIPS = {
  [ALICE]: ['group:default/platform-team'],
  [BOB]: ['group:default/team-a'],
};
const as = (user: string) => ({
  Authorization: mockCredentials.user.header(user),
});

/** The HTTP providers (TechDocs, incidents) are tested on their own. */
const CONFIG = {
  scorecard: {
    providers: { techdocs: { enabled: false }, incidents: { enabled: false } },
    schedule: {
      full: {
        frequency: { hours: 24 },
        timeout: { minutes: 1 },
        initialDelay: { hours: 24 },
      },
      incremental: {
        frequency: { hours: 24 },
        timeout: { minutes: 1 },
        initialDelay: { hours: 24 },
      },
    },
  },
};

/** The adoption dashboard's two routes the organization maturity reads. */
const standInAdoption = createBackendPlugin({
  pluginId: 'adoption',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        const router = Router();
        router.get('/dashboard/active-users', (_req, res) => {
          res.json({
            days: [
              { day: '2026-11-25', dau: 1, wau: 2, mau: 3, stickiness: 0.3 },
              {
                day: '2026-11-26',
                dau: null,
                wau: null,
                mau: null,
                stickiness: null,
              },
            ],
          });
        });
        router.get('/dashboard/nps', (_req, res) => {
          res.json({
            responses: 12,
            promoters: 6,
            passives: 4,
            detractors: 2,
            score: 33,
            trend: [],
            comments: [],
          });
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
      },
    });
  },
});

const user = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: {},
});

const databases = TestDatabases.create({ ids: testDatabaseIds() });

describe.each(databases.eachSupportedId())(
  'the scorecard plugin on %p',
  databaseId => {
    async function start(config: object = CONFIG, extra: any[] = []) {
      const knex = await databases.init(databaseId);
      return startTestBackend({
        features: [
          scorecardPlugin,
          ...extra,
          mockServices.rootConfig.factory({ data: config }),
          mockServices.database.factory({ knex }),
          catalogServiceMock.factory({
            entities: [
              ...sampleCatalog(),
              ...['alice', 'bob', 'carol', 'dan'].map(user),
            ],
          }),
          pavedPolicyPermissions(MEMBERSHIPS),
        ],
      });
    }

    it('scores every entity, serves scorecards, rollups and maturity as documented', async () => {
      const { server } = await start();
      const forbidden = await request(server)
        .post('/api/scorecard/evaluate')
        .set(as(BOB))
        .send({});
      expect(forbidden.status).toBe(403);
      const all = await request(server)
        .post('/api/scorecard/evaluate')
        .set(as(ALICE))
        .send({});
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ evaluated: 3, changed: 3, removed: 0 });
      expect(specErrors('EvaluationSummary', all.body)).toEqual([]);

      const orders = await request(server)
        .get(
          `/api/scorecard/entities/${encodeURIComponent(
            'component:default/orders',
          )}/scorecard`,
        )
        .set(as(BOB));
      expect(orders.status).toBe(200);
      expect(specErrors('EntityScorecard', orders.body)).toEqual([]);
      const track = orders.body.tracks[0];
      expect(track).toMatchObject({
        trackId: 'platform-maturity',
        level: 3,
        levelName: 'Self-service',
      });
      const latest = track.checks.find(
        (c: any) => c.checkId === 'latest-template-version',
      );
      expect(latest).toMatchObject({
        passed: false,
        reason: 'lineage.onLatestVersion is false (expected equal true)',
        fixUrl: expect.any(String),
        howToFix: expect.any(String),
      });
      // Kubernetes, TechDocs builds and incidents have no provider here: their checks are off.
      expect(track.checks.map((c: any) => c.checkId)).not.toContain(
        'k8s-probes',
      );

      const level = async (name: string) =>
        (
          await request(server)
            .get(
              `/api/scorecard/entities/component:default%2F${name}/scorecard`,
            )
            .set(as(BOB))
        ).body.tracks[0].level;
      expect(await level('search')).toBe(1); // no system: level 2 fails
      expect(await level('legacy')).toBe(0); // its owner is not in the catalog

      const team = await request(server)
        .get('/api/scorecard/teams/group:default%2Fteam-b/scorecard')
        .set(as(BOB));
      expect(specErrors('TeamScorecard', team.body)).toEqual([]);
      expect(team.body.total).toBe(1);
      expect(team.body.failingChecks.map((c: any) => c.checkId)).toEqual(
        expect.arrayContaining([
          'has-system',
          'apis-have-definitions',
          'from-golden-path',
        ]),
      );

      const levels = await request(server)
        .get('/api/scorecard/organization/levels')
        .set(as(BOB));
      expect(specErrors('LevelDistribution', levels.body)).toEqual([]);
      expect(levels.body.levels.filter((l: any) => l.count)).toEqual([
        { level: 0, name: 'None', count: 1 },
        { level: 1, name: 'Ad hoc', count: 1 },
        { level: 3, name: 'Self-service', count: 1 },
      ]);
      const trend = await request(server)
        .get('/api/scorecard/organization/trend')
        .set(as(BOB));
      expect(specErrors('Trend', trend.body)).toEqual([]);
      expect(trend.body.days).toHaveLength(1);

      const maturity = await request(server)
        .get('/api/scorecard/organization/maturity')
        .set(as(BOB));
      expect(specErrors('OrganizationMaturity', maturity.body)).toEqual([]);
      expect(maturity.body.level).toBe(1);
      expect(maturity.body.levels[1].criteria[0].evidence).toBe(
        '67% of components have an owner that exists (< 90%)',
      );
      expect(maturity.body.levels[3].criteria[2].evidence).toMatch(/no data/);
      expect(maturity.body.levels[4].criteria[0].evidence).toMatch(/no data/);

      const history = await request(server)
        .get('/api/scorecard/entities/component:default%2Forders/history')
        .set(as(BOB));
      expect(specErrors('EntityHistory', history.body)).toEqual([]);
      expect(history.body.items).toHaveLength(1);

      const tracks = await request(server)
        .get('/api/scorecard/tracks')
        .set(as(BOB));
      expect(specErrors('Track', tracks.body.items[0])).toEqual([]);
    });

    it('evaluates one entity for anyone signed in, and previews check changes for admins only', async () => {
      const { server } = await start();
      const one = await request(server)
        .post('/api/scorecard/evaluate')
        .set(as(BOB))
        .send({ entityRef: 'component:default/search' });
      expect(one.body).toMatchObject({ evaluated: 1, changed: 1 });

      const tracks = await request(server)
        .get('/api/scorecard/tracks')
        .set(as(BOB));
      const proposed = structuredClone(tracks.body.items[0]);
      // Drop "belongs to a system" from level 2.
      proposed.levels[1].checks = proposed.levels[1].checks.filter(
        (c: any) => c.id !== 'has-system',
      );
      const denied = await request(server)
        .post('/api/scorecard/checks/preview')
        .set(as(BOB))
        .send({ track: proposed });
      expect(denied.status).toBe(403);
      const preview = await request(server)
        .post('/api/scorecard/checks/preview')
        .set(as(ALICE))
        .send({ track: proposed });
      expect(preview.status).toBe(200);
      expect(specErrors('ImpactPreview', preview.body)).toEqual([]);
      // search still fails "APIs have definitions": it stays at 1.
      expect(preview.body).toMatchObject({
        evaluated: 1,
        movedUp: 0,
        movedDown: 0,
        unchanged: 1,
      });
      proposed.levels[1].checks = proposed.levels[1].checks.filter(
        (c: any) => c.id !== 'apis-have-definitions',
      );
      const up = await request(server)
        .post('/api/scorecard/checks/preview')
        .set(as(ALICE))
        .send({ track: proposed });
      expect(up.body).toMatchObject({
        movedUp: 1,
        entities: [{ entityRef: 'component:default/search', from: 1, to: 2 }],
      });
      // One check changed (a threshold), the rest of the track as it is.
      const threshold = await request(server)
        .post('/api/scorecard/checks/preview')
        .set(as(ALICE))
        .send({
          trackId: 'platform-maturity',
          level: 2,
          check: {
            id: 'apis-have-definitions',
            title: 'At most one API without a definition',
            rules: [
              {
                fact: 'catalog.apisWithoutDefinition',
                operator: 'lessThanInclusive',
                value: 1,
              },
            ],
          },
        });
      expect(threshold.status).toBe(200);
      expect(threshold.body).toMatchObject({ movedUp: 0, unchanged: 1 }); // has-system still fails
      const removed = await request(server)
        .post('/api/scorecard/checks/preview')
        .set(as(ALICE))
        .send({ trackId: 'platform-maturity', removeCheck: 'has-owner' });
      expect(removed.body).toMatchObject({ movedUp: 0, movedDown: 0 });
      const missing = await request(server)
        .post('/api/scorecard/checks/preview')
        .set(as(ALICE))
        .send({ trackId: 'platform-maturity', removeCheck: 'nope' });
      expect(missing.status).toBe(400);
      const bad = await request(server)
        .post('/api/scorecard/checks/preview')
        .set(as(ALICE))
        .send({
          track: {
            ...proposed,
            levels: [
              {
                level: 1,
                name: 'x',
                checks: [
                  {
                    id: 'q',
                    rules: [{ fact: 'nope', operator: 'equal', value: 1 }],
                  },
                ],
              },
            ],
          },
        });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain("check 'q'");
      // Nothing was stored by the preview.
      const after = await request(server)
        .get('/api/scorecard/entities/component:default%2Fsearch/scorecard')
        .set(as(BOB));
      expect(after.body.tracks[0].level).toBe(1);
    });

    it('answers malformed proposals and queries with a 400 naming the field', async () => {
      const { server } = await start();
      const preview = (body: object) =>
        request(server)
          .post('/api/scorecard/checks/preview')
          .set(as(ALICE))
          .send(body);

      // A null rule was a 500 (reading 'fact' of null).
      const nullRule = await preview({
        trackId: 'platform-maturity',
        level: 2,
        check: { id: 'q', rules: [null] },
      });
      expect(nullRule.status).toBe(400);
      expect(nullRule.body.error.message).toContain('check.rules[0]');
      const nullRuleInTrack = await preview({
        track: {
          id: 'proposed',
          title: 'Proposed',
          levels: [
            { level: 1, name: 'One', checks: [{ id: 'q', rules: [null] }] },
          ],
        },
      });
      expect(nullRuleInTrack.status).toBe(400);
      expect(nullRuleInTrack.body.error.message).toContain(
        'track.levels[0].checks[0].rules[0]',
      );

      // An unknown track in the body was an undocumented 404.
      const unknownTrack = await preview({
        trackId: 'no-such-track',
        removeCheck: 'has-owner',
      });
      expect(unknownTrack.status).toBe(400);
      expect(unknownTrack.body.error.message).toContain(
        "trackId: no scorecard track 'no-such-track'",
      );

      // Out-of-range numbers made an invalid date or a negative SQL LIMIT (500s).
      const trend = await request(server)
        .get('/api/scorecard/organization/trend?days=-100000000000000')
        .set(as(BOB));
      expect(trend.status).toBe(400);
      expect(trend.body.error.message).toContain('days');
      const history = await request(server)
        .get(
          '/api/scorecard/entities/component:default%2Fsearch/history?limit=-5',
        )
        .set(as(BOB));
      expect(history.status).toBe(400);
      expect(history.body.error.message).toContain('limit');
    });

    it('reads adoption and NPS from the adoption dashboard when it is installed', async () => {
      const { server } = await start(CONFIG, [standInAdoption]);
      await request(server)
        .post('/api/scorecard/evaluate')
        .set(as(ALICE))
        .send({});
      const maturity = await request(server)
        .get('/api/scorecard/organization/maturity')
        .set(as(BOB));
      expect(maturity.body.levels[3].criteria[2]).toMatchObject({
        value: 0.75,
        evidence:
          '75% of the people in the catalog used the portal in the last 30 days (≥ 50%)',
      });
      expect(maturity.body.levels[4].criteria[0]).toMatchObject({
        met: true,
        evidence: '12 NPS responses in the last 90 days (≥ 10)',
      });
    });

    it('refuses to start with bad check configuration, naming the check', async () => {
      const bad = (check: object) => ({
        scorecard: {
          ...CONFIG.scorecard,
          tracks: [
            {
              id: 'extra',
              title: 'Extra',
              levels: [{ level: 1, name: 'One', checks: [check] }],
            },
          ],
        },
      });
      await expect(
        start(
          bad({
            id: 'uses-nope',
            title: 'x',
            rules: [{ fact: 'nope.fact', operator: 'equal', value: true }],
          }),
        ),
      ).rejects.toThrow(
        "check 'uses-nope' (track 'extra', level 1) uses unknown fact 'nope.fact'",
      );
      await expect(
        start(
          bad({
            id: 'odd-op',
            title: 'x',
            rules: [
              { fact: 'catalog.hasOwner', operator: 'like', value: true },
            ],
          }),
        ),
      ).rejects.toThrow(
        "check 'odd-op' (track 'extra', level 1) uses unknown operator 'like'",
      );
      await expect(
        start(
          bad({
            id: 'has-owner',
            title: 'dup',
            rules: [
              { fact: 'catalog.hasOwner', operator: 'equal', value: true },
            ],
          }),
        ),
      ).rejects.toThrow("duplicate check id 'has-owner'");
      await expect(
        start({
          scorecard: {
            ...CONFIG.scorecard,
            tracks: [
              {
                id: 'empty',
                title: 'E',
                levels: [{ level: 1, name: 'One', checks: [] }],
              },
            ],
          },
        }),
      ).rejects.toThrow("track 'empty' level 1 'One' has no checks");
    });

    it('scores checks of a check type a module added, and refuses one that takes a taken name', async () => {
      const checkTypeModule = (type: CheckType) =>
        createBackendModule({
          pluginId: 'scorecard',
          moduleId: `check-type-${type.id}`,
          register(reg) {
            reg.registerInit({
              deps: { checkTypes: scorecardCheckTypesExtensionPoint },
              async init({ checkTypes }) {
                checkTypes.addCheckType(type);
              },
            });
          },
        });
      const startsWith: CheckType = {
        id: 'startsWith',
        description: 'The fact is a string that starts with the value',
        evaluate: (actual, expected) =>
          typeof actual === 'string' &&
          typeof expected === 'string' &&
          actual.startsWith(expected),
      };
      const withTrack = {
        scorecard: {
          ...CONFIG.scorecard,
          tracks: [
            {
              id: 'lifecycle',
              title: 'Lifecycle',
              levels: [
                {
                  level: 1,
                  name: 'Live',
                  checks: [
                    {
                      id: 'lifecycle-is-production',
                      title: 'In production',
                      rules: [
                        {
                          fact: 'catalog.lifecycle',
                          operator: 'startsWith',
                          value: 'prod',
                        },
                      ],
                    },
                  ],
                },
              ],
            },
          ],
        },
      };
      // Without the module, the operator is unknown and the backend does not start.
      await expect(start(withTrack)).rejects.toThrow(
        "check 'lifecycle-is-production' (track 'lifecycle', level 1) uses unknown operator 'startsWith'",
      );

      const { server } = await start(withTrack, [checkTypeModule(startsWith)]);
      await request(server)
        .post('/api/scorecard/evaluate')
        .set(as(ALICE))
        .send({});
      const search = await request(server)
        .get('/api/scorecard/entities/component:default%2Fsearch/scorecard')
        .set(as(BOB));
      const lifecycle = search.body.tracks.find(
        (t: { trackId: string }) => t.trackId === 'lifecycle',
      );
      expect(lifecycle).toMatchObject({
        level: 1,
        checks: [
          expect.objectContaining({
            checkId: 'lifecycle-is-production',
            passed: true,
          }),
        ],
      });

      await expect(
        start(CONFIG, [
          checkTypeModule({ ...startsWith, id: 'equal', evaluate: () => true }),
        ]),
      ).rejects.toThrow(
        "Scorecard check type 'equal' is added twice or is a built-in operator",
      );
    });

    it('lets configuration change the default track', async () => {
      const { server } = await start({
        scorecard: {
          ...CONFIG.scorecard,
          tracks: [
            {
              id: 'platform-maturity',
              levels: [
                {
                  level: 2,
                  name: 'Standardized',
                  checks: [
                    { id: 'has-system', disabled: true },
                    { id: 'apis-have-definitions', disabled: true },
                  ],
                },
              ],
            },
          ],
        },
      });
      await request(server)
        .post('/api/scorecard/evaluate')
        .set(as(ALICE))
        .send({});
      const search = await request(server)
        .get('/api/scorecard/entities/component:default%2Fsearch/scorecard')
        .set(as(BOB));
      expect(search.body.tracks[0].level).toBe(2);
    });
  },
);

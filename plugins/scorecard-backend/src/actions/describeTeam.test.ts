import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { testDatabaseIds } from '@paved/test-utils';
import Router from 'express-promise-router';
import { resource } from '../__testUtils__/entities';
import {
  ALICE,
  BOB,
  startActionsBackend,
} from './__testUtils__/actionsBackend';

/** What a stand-in plugin was asked, and by whom. */
interface Asked {
  query: unknown;
  principal: unknown;
}

/** A plugin answering one GET route, recording who asked (the caller, not the scorecard). */
function standIn(
  pluginId: string,
  path: string,
  answer: (query: any) => object | 'hang-up' | number,
  asked: Asked[] = [],
) {
  return createBackendPlugin({
    pluginId,
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          const router = Router();
          router.get(path, async (req, res) => {
            const credentials = await httpAuth.credentials(req);
            asked.push({ query: req.query, principal: credentials.principal });
            const body = answer(req.query);
            if (body === 'hang-up') {
              req.socket.destroy();
            } else if (typeof body === 'number') {
              res.status(body).json({ error: { message: 'down' } });
            } else {
              res.json(body);
            }
          });
          httpRouter.use(router);
        },
      });
    },
  });
}

const request = (name: string, state: string) => ({
  id: `req-${name}`,
  type: 'postgres',
  name,
  owner: 'group:default/team-a',
  parameters: { size: 'small' },
  state,
  outputs: { host: 'db.internal' },
  createdBy: BOB,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...(state === 'failed' && { lastError: 'quota exceeded' }),
});

const incident = {
  id: 'inc-1',
  entityRef: 'component:default/orders',
  owner: 'group:default/team-a',
  severity: 'sev2',
  status: 'investigating',
  summary: 'Orders are slow',
  description: 'p95 at 4s',
  openedBy: BOB,
  openedAt: '2026-01-02T00:00:00.000Z',
};

const databases = TestDatabases.create({ ids: testDatabaseIds() });

describe.each(databases.eachSupportedId())(
  'describe-team on %p',
  databaseId => {
    it('says what the team owns, its levels, resources and open incidents, as the caller may see them', async () => {
      const provisioningAsked: Asked[] = [];
      const incidentsAsked: Asked[] = [];
      const { invoke } = await startActionsBackend(databases, databaseId, {
        features: [
          standIn(
            'provisioning',
            '/requests',
            () => ({
              items: [
                request('orders-db', 'ready'),
                request('cache', 'failed'),
              ],
              totalCount: 2,
            }),
            provisioningAsked,
          ),
          standIn(
            'incidents',
            '/incidents',
            () => ({ items: [incident], totalCount: 1 }),
            incidentsAsked,
          ),
        ],
      });
      const res = await invoke(BOB, 'describe-team', { group: 'team-a' });
      expect(res.status).toBe(200);
      const out = res.body.output;
      expect(out.warnings).toEqual([]);
      expect(out.group).toEqual({
        ref: 'group:default/team-a',
        type: 'team',
        members: 0,
        subgroups: 0,
      });
      // BOB may not see vault: it is neither counted nor listed.
      expect(out.owned).toMatchObject({
        total: 5,
        byKind: [
          { kind: 'API', count: 2 },
          { kind: 'Resource', count: 2 },
          { kind: 'Component', count: 1 },
        ],
        capped: false,
      });
      expect(out.owned.entities).toContainEqual({
        entityRef: 'component:default/orders',
        kind: 'Component',
        type: 'service',
        level: 3,
        levelName: 'Self-service',
        failingChecks: expect.any(Number),
      });
      const orders = out.owned.entities.find(
        (e: any) => e.entityRef === 'component:default/orders',
      );
      expect(orders.failingChecks).toBeGreaterThan(0);
      expect(out.owned.entities).toContainEqual({
        entityRef: 'resource:default/orders-db',
        kind: 'Resource',
        type: 'database',
      });
      expect(out.scorecard).toMatchObject({
        trackId: 'platform-maturity',
        scored: 2, // orders and vault: the team's figures, as its Scorecard tab shows
        topFailingChecks: expect.arrayContaining([
          expect.objectContaining({
            checkId: 'latest-template-version',
            howToFix: expect.any(String),
          }),
        ]),
      });
      expect(out.resources).toEqual({
        total: 2,
        items: [
          {
            id: 'req-orders-db',
            type: 'postgres',
            name: 'orders-db',
            state: 'ready',
          },
          {
            id: 'req-cache',
            type: 'postgres',
            name: 'cache',
            state: 'failed',
            lastError: 'quota exceeded',
          },
        ],
        capped: false,
      });
      expect(out.incidents).toEqual({
        open: 1,
        items: [
          {
            id: 'inc-1',
            entityRef: 'component:default/orders',
            severity: 'sev2',
            status: 'investigating',
            summary: 'Orders are slow',
            openedAt: '2026-01-02T00:00:00.000Z',
          },
        ],
        capped: false,
      });
      // Asked on behalf of BOB (their permission rules apply), for the team's live items.
      expect(provisioningAsked).toEqual([
        {
          query: expect.objectContaining({
            owner: 'group:default/team-a',
            state: expect.not.stringContaining('deleted'),
          }),
          principal: expect.objectContaining({ userEntityRef: BOB }),
        },
      ]);
      expect(incidentsAsked).toEqual([
        {
          query: expect.objectContaining({
            owner: 'group:default/team-a',
            status: 'open',
          }),
          principal: expect.objectContaining({ userEntityRef: BOB }),
        },
      ]);

      const asAlice = await invoke(ALICE, 'describe-team', {
        group: 'group:default/team-a',
      });
      expect(asAlice.body.output.owned.entities).toContainEqual(
        expect.objectContaining({
          entityRef: 'component:default/vault',
          level: expect.any(Number),
        }),
      );
    });

    it('still answers when provisioning or incidents do not, saying what is missing', async () => {
      // No provisioning plugin at all (404), and an incidents plugin that hangs up.
      const { invoke } = await startActionsBackend(databases, databaseId, {
        features: [standIn('incidents', '/incidents', () => 'hang-up')],
      });
      const res = await invoke(BOB, 'describe-team', { group: 'team-b' });
      expect(res.status).toBe(200);
      const out = res.body.output;
      expect(out.resources).toBeUndefined();
      expect(out.incidents).toBeUndefined();
      expect(out.warnings).toEqual([
        expect.stringMatching(
          /^resources: the provisioning plugin did not answer \(HTTP 404 .*\); the team's provisioned resources are missing$/,
        ),
        expect.stringMatching(
          /^incidents: the incidents plugin did not answer \(unreachable .*\); the team's open incidents are missing$/,
        ),
      ]);
      expect(out.owned.entities).toContainEqual(
        expect.objectContaining({
          entityRef: 'component:default/search',
          level: 1,
          levelName: 'Ad hoc',
        }),
      );
      expect(out.scorecard.summary).toBe(
        '1 scored entity: 1 at level 1 · Ad hoc.',
      );

      const failing = await startActionsBackend(databases, databaseId, {
        features: [
          standIn('provisioning', '/requests', () => 503),
          standIn('incidents', '/incidents', () => ({
            items: [],
            totalCount: 0,
          })),
        ],
      });
      const partly = await failing.invoke(BOB, 'describe-team', {
        group: 'team-b',
      });
      expect(partly.body.output.warnings).toEqual([
        expect.stringContaining('(HTTP 503 (failed))'),
      ]);
      expect(partly.body.output.incidents).toEqual({
        open: 0,
        items: [],
        capped: false,
      });
    });

    it('lists at most 200 owned entities and says so, counting them all by kind', async () => {
      const many = Array.from({ length: 205 }, (_, i) => ({
        ...resource(`r-${String(i).padStart(3, '0')}`, false),
        spec: { type: 'database', owner: 'team-b' },
      }));
      const { invoke } = await startActionsBackend(databases, databaseId, {
        entities: many,
      });
      const out = (await invoke(BOB, 'describe-team', { group: 'team-b' })).body
        .output;
      expect(out.owned).toMatchObject({
        total: 206, // search and the 205
        capped: true,
        byKind: [
          { kind: 'Resource', count: 205 },
          { kind: 'Component', count: 1 },
        ],
      });
      expect(out.owned.entities).toHaveLength(200);
      expect(out.warnings).toContain(
        'owned: listing the first 200 of 206 entities (byKind counts them all)',
      );
    });
  },
);

import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { testDatabaseIds } from '@paved/test-utils';
import request from 'supertest';
import {
  ALICE,
  APP_BASE_URL,
  BOB,
  startActionsBackend,
} from './__testUtils__/actionsBackend';

const databases = TestDatabases.create({ ids: testDatabaseIds() });

describe.each(databases.eachSupportedId())(
  "the scorecard's agent actions on %p",
  databaseId => {
    it('are listed as idempotent reads', async () => {
      const { backend } = await startActionsBackend(databases, databaseId);
      const res = await request(backend.server)
        .get('/api/scorecard/.backstage/actions/v1/actions')
        .set('Authorization', mockCredentials.user.header(BOB));
      expect(res.status).toBe(200);
      expect(
        res.body.actions.map((a: any) => [a.id, a.attributes]).sort(),
      ).toEqual(
        [
          'scorecard:describe-team',
          'scorecard:get-component-scorecard',
          'scorecard:get-team-scorecard',
        ].map(id => [
          id,
          { readOnly: true, destructive: false, idempotent: true },
        ]),
      );
      // An agent acts on the descriptions: every input field says what it wants.
      for (const action of res.body.actions) {
        for (const [field, schema] of Object.entries<any>(
          action.schema.input.properties,
        )) {
          expect([action.id, field, typeof schema.description]).toEqual([
            action.id,
            field,
            'string',
          ]);
        }
      }
    });

    it("gives a component's level, failing checks and how to fix each", async () => {
      const { invoke } = await startActionsBackend(databases, databaseId);
      const res = await invoke(BOB, 'get-component-scorecard', {
        entityRef: 'component:default/orders',
      });
      expect(res.status).toBe(200);
      const card = res.body.output;
      expect(card).toMatchObject({
        entityRef: 'component:default/orders',
        trackId: 'platform-maturity',
        level: 3,
        levelName: 'Self-service',
        nextLevel: { level: 4, name: 'Optimized' },
        otherTracks: [],
      });
      const latest = card.failing.find(
        (c: any) => c.checkId === 'latest-template-version',
      );
      expect(latest).toMatchObject({
        reason: 'lineage.onLatestVersion is false (expected equal true)',
        howToFix: expect.any(String),
      });
      // The portal's relative links, made absolute for an agent.
      expect(latest.fixUrl).toMatch(new RegExp(`^${APP_BASE_URL}/`));
      expect(card.nextLevel.blockedBy).toContain('latest-template-version');
      expect(card.passing.map((c: any) => c.checkId)).toContain('has-owner');
      // Lowest level first: those cap every level above them.
      const levels = card.failing.map((c: any) => c.level);
      expect(levels).toEqual([...levels].sort((a, b) => a - b));

      const search = await invoke(BOB, 'get-component-scorecard', {
        entityRef: 'Component:search', // kind in any case, namespace defaulted
      });
      expect(search.body.output).toMatchObject({
        entityRef: 'component:default/search',
        level: 1,
        levelName: 'Ad hoc',
        nextLevel: {
          level: 2,
          blockedBy: expect.arrayContaining(['has-system']),
        },
      });
    });

    it('answers bad input with a 400 naming the field and unknown or hidden entities with a 404', async () => {
      const { invoke } = await startActionsBackend(databases, databaseId);
      const notARef = await invoke(BOB, 'get-component-scorecard', {
        entityRef: 'orders',
      });
      expect(notARef.status).toBe(400);
      expect(notARef.body.error).toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(
          "entityRef: 'orders' is not an entity ref",
        ),
      });
      const missing = await invoke(BOB, 'get-component-scorecard', {});
      expect(missing.status).toBe(400);
      // The registry validates the schema: its message carries the field's path.
      expect(missing.body.error.message).toContain('"entityRef"');
      const track = await invoke(BOB, 'get-component-scorecard', {
        entityRef: 'component:default/orders',
        trackId: 'nope',
      });
      expect(track.status).toBe(400);
      expect(track.body.error.message).toContain(
        "trackId: no scorecard track 'nope'",
      );
      const unknown = await invoke(BOB, 'get-component-scorecard', {
        entityRef: 'component:default/nope',
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.name).toBe('NotFoundError');

      // vault is scored, but BOB may not read it in the catalog: as if it did not exist.
      const hidden = await invoke(BOB, 'get-component-scorecard', {
        entityRef: 'component:default/vault',
      });
      expect(hidden.status).toBe(404);
      expect(hidden.body.error.message).toBe(
        "No entity 'component:default/vault' in the catalog",
      );
      const seen = await invoke(ALICE, 'get-component-scorecard', {
        entityRef: 'component:default/vault',
      });
      expect(seen.status).toBe(200);

      const notAGroup = await invoke(BOB, 'get-team-scorecard', {
        group: 'component:default/orders',
      });
      expect(notAGroup.status).toBe(400);
      expect(notAGroup.body.error.message).toBe(
        "group: 'component:default/orders' is a component, not a Group",
      );
      const badGroup = await invoke(BOB, 'describe-team', { group: 'a:b:c/' });
      expect(badGroup.status).toBe(400);
      expect(badGroup.body.error.message).toContain('group:');
      const noGroup = await invoke(BOB, 'describe-team', { group: 'nobody' });
      expect(noGroup.status).toBe(404);
      const hiddenGroup = await invoke(BOB, 'get-team-scorecard', {
        group: 'team-secret',
      });
      expect(hiddenGroup.status).toBe(404);
    });

    it("gives a team's scorecard as its tab computes it, listing only what the caller may see", async () => {
      const { invoke } = await startActionsBackend(databases, databaseId);
      const teamB = await invoke(BOB, 'get-team-scorecard', {
        group: 'team-b',
      });
      expect(teamB.status).toBe(200);
      expect(teamB.body.output).toMatchObject({
        group: 'group:default/team-b',
        trackId: 'platform-maturity',
        total: 1,
        summary: '1 scored entity: 1 at level 1 · Ad hoc.',
        lowestLevel: { level: 1, name: 'Ad hoc' },
        entities: [
          {
            entityRef: 'component:default/search',
            level: 1,
            levelName: 'Ad hoc',
          },
        ],
        entitiesCapped: false,
        failingChecksCapped: false,
      });
      expect(
        teamB.body.output.failingChecks.map((c: any) => c.checkId),
      ).toEqual(
        expect.arrayContaining([
          'has-system',
          'apis-have-definitions',
          'from-golden-path',
        ]),
      );
      expect(teamB.body.output.failingChecks[0]).toMatchObject({
        failing: 1,
        share: 1,
        howToFix: expect.any(String),
      });

      // team-a owns orders and vault; BOB may not see vault: counted, not listed.
      const asBob = await invoke(BOB, 'get-team-scorecard', {
        group: 'group:default/team-a',
      });
      expect(asBob.body.output).toMatchObject({
        total: 2,
        entities: [
          expect.objectContaining({ entityRef: 'component:default/orders' }),
        ],
        hiddenEntities: 1,
      });
      expect(asBob.body.output.entities).toHaveLength(1);
      const asAlice = await invoke(ALICE, 'get-team-scorecard', {
        group: 'group:default/team-a',
      });
      expect(
        asAlice.body.output.entities.map((e: any) => e.entityRef).sort(),
      ).toEqual(['component:default/orders', 'component:default/vault']);
      expect(asAlice.body.output.hiddenEntities).toBeUndefined();
    });

    it('refuses when the agent policy denies reads, naming the rule', async () => {
      const { invoke } = await startActionsBackend(databases, databaseId, {
        config: {
          paved: {
            agents: { actions: { 'scorecard:describe-team': 'deny' } },
          },
        },
      });
      const refused = await invoke(BOB, 'describe-team', { group: 'team-a' });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain(
        'Refused by paved.agents.actions.scorecard:describe-team',
      );
      expect(refused.body.error.message).toContain(
        "A person must open the team's page in the portal",
      );
      const allowed = await invoke(BOB, 'get-team-scorecard', {
        group: 'team-a',
      });
      expect(allowed.status).toBe(200);
    });
  },
);

import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DefaultEventsService,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import { USAGE_EVENTS_TOPIC } from '@paved/plugin-adoption-common';
import {
  pavedPolicyPermissions,
  recordingAuditor,
  testDatabaseIds,
  waitFor,
} from '@paved/test-utils';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import request from 'supertest';
import { ENTITIES, MEMBERSHIPS } from './__testUtils__/fixtures';
import { specErrors } from './__testUtils__/openApiSpec';
import { adoptionPlugin } from './plugin';

const databases = TestDatabases.create({ ids: testDatabaseIds() });

const event = (overrides: object = {}) => ({
  action: 'navigate',
  subject: '/catalog',
  context: { pluginId: 'catalog', routeRef: 'catalog:index' },
  timestamp: new Date().toISOString(),
  ...overrides,
});

describe.each(databases.eachSupportedId())(
  'the adoption plugin on %p',
  databaseId => {
    const audit = recordingAuditor({ withSeverityLevel: true });
    const bus = DefaultEventsService.create({
      logger: mockServices.logger.mock(),
    });
    let backend: TestBackend;
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      backend = await startTestBackend({
        features: [
          adoptionPlugin,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: { adoption: { minimumGroupSize: 2 } },
          }),
          pavedPolicyPermissions(MEMBERSHIPS),
          audit.factory,
          catalogServiceMock.factory({ entities: ENTITIES }),
          createServiceFactory({
            service: eventsServiceRef,
            deps: {},
            factory: () => bus,
          }),
        ],
      });
    });

    afterAll(() => backend?.stop());

    const api = (method: 'get' | 'post', path: string, user: string) =>
      request(backend.server)
        [method](`/api/adoption${path}`)
        .set('authorization', mockCredentials.user.header(user));

    const countEvents = async (where: object = {}) =>
      Number(
        (await knex('adoption_events').where(where).count({ n: '*' }))[0].n,
      );

    it('stores a batch once, however often it is retried', async () => {
      const batchId = randomUUID();
      const body = { batchId, events: [event(), event({ subject: '/docs' })] };
      const first = await api('post', '/events', 'user:default/bob').send(body);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ batchId, accepted: 2, duplicate: false });
      expect(specErrors('BatchResult', first.body)).toEqual([]);

      const retries = await Promise.all(
        [1, 2, 3].map(() =>
          api('post', '/events', 'user:default/bob').send(body),
        ),
      );
      expect(retries.map(r => [r.status, r.body.duplicate])).toEqual([
        [200, true],
        [200, true],
        [200, true],
      ]);
      expect(await countEvents({ user_ref: 'user:default/bob' })).toBe(2);
      expect(
        audit.events.filter(e => e.eventId === 'events-ingest'),
      ).toContainEqual(
        expect.objectContaining({ severityLevel: 'low', meta: { events: 2 } }),
      );
    });

    it('refuses a bad batch, naming the field', async () => {
      const events = [event(), event(), event(), event({ timestamp: 'soon' })];
      const bad = await api('post', '/events', 'user:default/bob').send({
        batchId: randomUUID(),
        events,
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/events\[3\]\.timestamp: /);

      const noPlugin = await api('post', '/events', 'user:default/bob').send({
        batchId: randomUUID(),
        events: [event({ context: {} })],
      });
      expect(noPlugin.body.error.message).toMatch(
        /events\[0\]\.context\.pluginId/,
      );

      const tooMany = await api('post', '/events', 'user:default/bob').send({
        batchId: randomUUID(),
        events: Array.from({ length: 1001 }, () => event()),
      });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.message).toMatch(/^Invalid batch: events: /);

      const noId = await api('post', '/events', 'user:default/bob').send({
        batchId: 'x',
        events: [event()],
      });
      expect(noId.body.error.message).toMatch(/batchId: /);
    });

    it('takes the user from the credentials, not the body', async () => {
      const unauthenticated = await request(backend.server)
        .post('/api/adoption/events')
        .set('authorization', mockCredentials.none.header())
        .send({ batchId: randomUUID(), events: [event()] });
      expect(unauthenticated.status).toBe(401);
    });

    it('stores the usage events backend plugins publish', async () => {
      await bus.publish({
        topic: USAGE_EVENTS_TOPIC,
        eventPayload: {
          plugin: 'provisioning',
          action: 'request-create',
          subject: 'postgres',
          actor: 'user:default/carol',
          team: 'group:default/payments-team',
          outcome: 'succeeded',
          durationMs: 120,
          occurredAt: new Date().toISOString(),
          attributes: { state: 'ready' },
        },
      });
      await bus.publish({
        topic: USAGE_EVENTS_TOPIC,
        eventPayload: { plugin: 'provisioning', password: 'x' },
      });
      const row = await waitFor('the usage event to be stored', () =>
        knex('adoption_events').where({ source: 'backend' }).first(),
      );
      expect(row).toMatchObject({
        plugin_id: 'provisioning',
        action: 'request-create',
        subject: 'postgres',
        user_ref: 'user:default/carol',
        team: 'group:default/payments-team',
        outcome: 'succeeded',
        duration_ms: 120,
      });
      expect(JSON.parse(row.attributes)).toEqual({ state: 'ready' });
      expect(await countEvents({ source: 'backend' })).toBe(1);
    });

    it('shows the dashboard to the platform team only', async () => {
      const denied = await api(
        'get',
        '/dashboard/active-users',
        'user:default/bob',
      );
      expect(denied.status).toBe(403);
      const refresh = await api(
        'post',
        '/dashboard/refresh',
        'user:default/bob',
      );
      expect(refresh.status).toBe(403);

      expect(
        (await api('post', '/dashboard/refresh', 'user:default/alice')).status,
      ).toBe(200);
      for (const [path, schema] of [
        ['/dashboard/active-users', 'ActiveUsers'],
        ['/dashboard/usage', 'Usage'],
        ['/dashboard/searches', 'Searches'],
        ['/dashboard/golden-paths', 'GoldenPaths'],
        ['/dashboard/docs', 'Docs'],
        ['/dashboard/nps', 'Nps'],
      ]) {
        const response = await api('get', path, 'user:default/alice');
        expect([path, response.status, response.body.error?.message]).toEqual([
          path,
          200,
          undefined,
        ]);
        expect([path, specErrors(schema, response.body)]).toEqual([path, []]);
      }
    });

    it('answers dashboard figures as aggregates only', async () => {
      const today = new Date().toISOString().slice(0, 10);
      for (const user of ['user:default/carol', 'user:default/dave']) {
        await api('post', '/events', user).send({
          batchId: randomUUID(),
          events: [
            event(),
            event({
              action: 'search',
              subject: 'Kafka',
              value: 0,
              context: { pluginId: 'search' },
            }),
          ],
        });
      }
      await api('post', '/events', 'user:default/erin').send({
        batchId: randomUUID(),
        events: [event({ context: { pluginId: 'lonely', routeRef: 'x' } })],
      });
      await api('post', '/dashboard/refresh', 'user:default/alice');

      const active = await api(
        'get',
        `/dashboard/active-users?from=${today}&to=${today}`,
        'user:default/alice',
      );
      expect(active.body.days).toEqual([
        { day: today, dau: 4, wau: 4, mau: 4, stickiness: 1 },
      ]);
      const usage = await api(
        'get',
        `/dashboard/usage?from=${today}&to=${today}`,
        'user:default/alice',
      );
      expect(usage.body.plugins).toContainEqual({
        pluginId: 'catalog',
        events: 4,
        users: 3,
        usersExact: true,
        userDays: 3,
      });
      // one person's plugin is not shown
      expect(usage.body.plugins.map((p: any) => p.pluginId)).not.toContain(
        'lonely',
      );
      expect(usage.body.hidden.plugins).toBeGreaterThan(0);

      const team = await api(
        'get',
        `/dashboard/usage?from=${today}&to=${today}&team=group:default/payments-team`,
        'user:default/alice',
      );
      expect(team.body.plugins).toContainEqual(
        expect.objectContaining({ pluginId: 'catalog', events: 4, users: 3 }),
      );

      const searches = await api(
        'get',
        `/dashboard/searches?from=${today}&to=${today}`,
        'user:default/alice',
      );
      expect(searches.body.noResultTerms).toEqual([
        { term: 'kafka', searches: 2, users: 2, noResults: 2 },
      ]);
      const badRange = await api(
        'get',
        '/dashboard/usage?from=2026-02-30x',
        'user:default/alice',
      );
      expect(badRange.status).toBe(400);
      expect(badRange.body.error.message).toMatch(/from: /);
    });

    it("keeps the page of the new frontend system's navigation events: the extension that rendered it", async () => {
      const batchId = randomUUID();
      const navigate = event({
        subject: '/catalog/default/component/orders',
        context: { pluginId: 'catalog', extensionId: 'page:catalog/entity' },
      });
      // bob, whose activity the other tests count already.
      const sent = await api('post', '/events', 'user:default/bob').send({
        batchId,
        events: [navigate],
      });
      expect(sent.status).toBe(200);
      const stored = await knex('adoption_events')
        .where({ subject: '/catalog/default/component/orders' })
        .first();
      expect(stored.route).toBe('page:catalog/entity');
    });

    it('reports golden paths from the recorded runs and the catalog', async () => {
      const day = new Date();
      await knex('adoption_scaffolder_runs').insert(
        ['bob', 'carol', 'dave'].map((name, i) => ({
          task_id: `t-${name}`,
          template_ref: 'template:default/node-service',
          outcome: i === 2 ? 'failed' : 'completed',
          created_at: day,
          day: Math.floor(day.getTime() / 86_400_000),
          duration_ms: (i + 1) * 1000,
          created_by: `user:default/${name}`,
        })),
      );
      const response = await api(
        'get',
        '/dashboard/golden-paths',
        'user:default/alice',
      );
      expect(response.body.templates[0]).toMatchObject({
        templateRef: 'template:default/node-service',
        title: 'Node.js service',
        runs: 3,
        succeeded: 2,
        failed: 1,
        successRate: 0.667,
        medianDurationMs: 1500,
        timeSavedPerRunMs: 7_200_000,
        timeSavedMs: 14_400_000,
        components: 2,
      });
      expect(response.body.components).toEqual({
        total: 3,
        fromTemplates: 2,
        share: 0.667,
      });
    });

    it('asks for the survey once per period', async () => {
      const user = 'user:default/erin';
      expect((await api('get', '/survey/status', user)).body.show).toBe(true);
      const bad = await api('post', '/survey/responses', user).send({
        score: 11,
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/score: /);
      const answered = await api('post', '/survey/responses', user).send({
        score: 9,
        comment: 'Golden paths are great',
      });
      expect(answered.status).toBe(201);
      const again = await api('post', '/survey/responses', user).send({
        score: 3,
      });
      expect(again.status).toBe(409);
      const status = await api('get', '/survey/status', user);
      expect(status.body.show).toBe(false);
      expect(specErrors('SurveyStatus', status.body)).toEqual([]);
      expect(
        (await api('post', '/survey/dismissals', 'user:default/dave')).status,
      ).toBe(201);
      expect(
        (await api('get', '/survey/status', 'user:default/dave')).body.show,
      ).toBe(false);
      expect(audit.events.filter(e => e.eventId.startsWith('survey-'))).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            eventId: 'survey-respond',
            severityLevel: 'low',
            status: 'succeeded',
          }),
          expect.objectContaining({
            eventId: 'survey-respond',
            status: 'failed',
          }),
          expect.objectContaining({
            eventId: 'survey-dismiss',
            severityLevel: 'low',
          }),
        ]),
      );
      await api('post', '/survey/responses', 'user:default/bob').send({
        score: 4,
      });
      const nps = await api('get', '/dashboard/nps', 'user:default/alice');
      expect(nps.body).toMatchObject({
        responses: 2,
        promoters: 1,
        detractors: 1,
        score: 0,
      });
      expect(nps.body.comments).toEqual([
        {
          month: expect.any(String),
          score: 9,
          comment: 'Golden paths are great',
        },
      ]);
      expect(JSON.stringify(nps.body)).not.toMatch(/erin|bob/);
    });
  },
);

import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { USAGE_EVENTS_TOPIC } from '@paved/plugin-adoption-common';
import { recordingAuditor, testDatabaseIds } from '@paved/test-utils';
import request from 'supertest';
import { specErrors } from './__testUtils__/openApiSpec';
import { ownershipPermissions } from './__testUtils__/ownershipPermissions';
import {
  recordingEvents,
  recordingNotifications,
  standInRunbooks,
} from './__testUtils__/standIns';
import { incidentsPlugin } from './plugin';

const BOB = 'user:default/bob'; // payments-team, owns orders-api
const DAVE = 'user:default/dave'; // orders-team
const ALICE = 'user:default/alice'; // platform-team

const MEMBERSHIPS: Record<string, string[]> = {
  [BOB]: ['group:default/payments-team'],
  [DAVE]: ['group:default/orders-team'],
  [ALICE]: ['group:default/platform-team'],
};

const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner },
  relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
});

const ENTITIES: Entity[] = [
  component('orders-api', 'payments-team'),
  component('search', 'orders-team'),
  {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: 'restart-deployment',
      namespace: 'default',
      title: 'Restart deployment',
    },
    spec: { type: 'runbook' },
  },
];

const databases = TestDatabases.create({ ids: testDatabaseIds() });

describe.each(databases.eachSupportedId())(
  'the incidents plugin on %p',
  databaseId => {
    const audit = recordingAuditor();
    const notifications = recordingNotifications();
    const events = recordingEvents();
    const runbooks = standInRunbooks();
    let backend: TestBackend;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      backend = await startTestBackend({
        features: [
          incidentsPlugin,
          runbooks.plugin,
          mockServices.database.factory({ knex }),
          catalogServiceMock.factory({ entities: ENTITIES }),
          ownershipPermissions({
            memberships: MEMBERSHIPS,
            entities: ENTITIES,
          }),
          audit.factory,
          notifications.factory,
          events.factory,
        ],
      });
    });

    afterAll(() => backend?.stop());

    const api = (method: 'get' | 'post', path: string, user = BOB) =>
      request(backend.server)
        [method](`/api/incidents${path}`)
        .set('authorization', mockCredentials.user.header(user));

    const open = (body: object = {}, user = BOB) =>
      api('post', '/incidents', user).send({
        entityRef: 'component:default/orders-api',
        severity: 'sev2',
        summary: 'Checkout fails with 502',
        ...body,
      });

    const usageEvents = () =>
      events.published
        .filter(e => e.topic === USAGE_EVENTS_TOPIC)
        .map(e => e.eventPayload as Record<string, any>);

    it('opens, notes, changes the status of and resolves an incident', async () => {
      const opened = await open({ description: 'Since the 10:00 deploy' });
      expect(opened.status).toBe(201);
      expect(specErrors('Incident', opened.body)).toEqual([]);
      expect(opened.body).toMatchObject({
        entityRef: 'component:default/orders-api',
        owner: 'group:default/payments-team',
        severity: 'sev2',
        status: 'investigating',
        openedBy: BOB,
      });
      const { id } = opened.body;

      const noted = await api('post', `/incidents/${id}/notes`).send({
        text: 'Rolled back the deploy',
      });
      expect(noted.status).toBe(201);
      expect(noted.body.timeline.map((e: any) => e.type)).toEqual([
        'opened',
        'note',
      ]);

      const status = await api('post', `/incidents/${id}/status`).send({
        status: 'monitoring',
      });
      expect(status.status).toBe(200);
      expect(status.body.status).toBe('monitoring');

      const resolved = await api('post', `/incidents/${id}/resolve`).send({
        cause: 'A bad connection pool setting',
        resolution: 'Rolled back',
      });
      expect(resolved.status).toBe(200);
      expect(resolved.body).toMatchObject({
        status: 'resolved',
        resolvedBy: BOB,
        cause: 'A bad connection pool setting',
        resolution: 'Rolled back',
      });
      expect(resolved.body.timeToRestoreMs).toBe(
        Date.parse(resolved.body.resolvedAt) -
          Date.parse(resolved.body.openedAt),
      );

      const again = await api('post', `/incidents/${id}/resolve`, ALICE).send({
        cause: 'Something else',
      });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(resolved.body);

      const details = await api('get', `/incidents/${id}`, DAVE);
      expect(details.status).toBe(200);
      expect(specErrors('IncidentDetails', details.body)).toEqual([]);
      expect(details.body.timeline).toEqual([
        expect.objectContaining({ type: 'opened', actor: BOB }),
        expect.objectContaining({
          type: 'note',
          message: 'Rolled back the deploy',
        }),
        expect.objectContaining({
          type: 'status',
          message: `${BOB} set the status to monitoring`,
        }),
        expect.objectContaining({
          type: 'resolved',
          message: `${BOB} resolved the incident. Cause: A bad connection pool setting`,
        }),
      ]);

      const afterResolve = await api('post', `/incidents/${id}/status`).send({
        status: 'identified',
      });
      expect(afterResolve.status).toBe(400);

      expect(
        audit.events.filter(e => e.meta.incidentId === id || e.meta.owner),
      ).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            eventId: 'incident-open',
            status: 'succeeded',
          }),
          expect.objectContaining({
            eventId: 'incident-note',
            status: 'succeeded',
          }),
          expect.objectContaining({
            eventId: 'incident-status',
            status: 'failed',
          }),
          expect.objectContaining({
            eventId: 'incident-resolve',
            status: 'succeeded',
            meta: expect.objectContaining({ resolved: true }),
          }),
        ]),
      );
      const resolveEvent = usageEvents().find(
        e => e.action === 'incident-resolve' && e.attributes?.resolved,
      );
      expect(resolveEvent).toMatchObject({
        plugin: 'incidents',
        outcome: 'succeeded',
        actor: BOB,
        subject: 'component:default/orders-api',
        team: 'group:default/payments-team',
        attributes: {
          severity: 'sev2',
          timeToRestoreMs: resolved.body.timeToRestoreMs,
        },
      });
    });

    it('notifies the owning team, linking to the incident', async () => {
      notifications.sent.length = 0;
      const opened = await open({ severity: 'sev1' }, ALICE);
      expect(opened.status).toBe(201);
      expect(notifications.sent).toEqual([
        {
          recipients: {
            type: 'entity',
            entityRef: ['group:default/payments-team'],
            excludeEntityRef: ALICE,
          },
          payload: expect.objectContaining({
            title:
              'SEV1 incident on component:default/orders-api: Checkout fails with 502',
            link: `/incidents/${opened.body.id}`,
            severity: 'critical',
            topic: 'incidents',
          }),
        },
      ]);
      await api('post', `/incidents/${opened.body.id}/resolve`, ALICE).send({
        cause: 'x',
      });
      expect(notifications.sent[1].payload).toMatchObject({
        title:
          'Resolved: Checkout fails with 502 (component:default/orders-api)',
        link: `/incidents/${opened.body.id}`,
      });
    });

    it('answers 400 naming the fields that are wrong', async () => {
      const bad = await api('post', '/incidents').send({
        entityRef: 'orders-api',
        severity: 'sev9',
        summary: 'x'.repeat(201),
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/^Invalid incident: /);
      expect(bad.body.error.message).toContain('entityRef:');
      expect(bad.body.error.message).toContain('severity:');
      expect(bad.body.error.message).toContain('summary:');

      const missing = await open({ entityRef: 'component:default/nope' });
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toBe(
        "Invalid incident: entityRef: there is no entity 'component:default/nope' in the catalog",
      );

      const { id } = (await open()).body;
      const cases: Array<[string, object, string]> = [
        ['notes', {}, 'text:'],
        ['status', { status: 'resolved' }, 'status:'],
        ['resolve', { resolution: 'x' }, 'cause:'],
      ];
      for (const [path, body, field] of cases) {
        const response = await api('post', `/incidents/${id}/${path}`).send(
          body,
        );
        expect(response.status).toBe(400);
        expect(response.body.error.message).toContain(field);
      }
      const query = await api('get', '/incidents?limit=0&status=broken');
      expect(query.status).toBe(400);
      expect(query.body.error.message).toContain('limit:');
      expect(query.body.error.message).toContain('status:');
      expect((await api('get', '/incidents/nope')).status).toBe(404);
    });

    it('refuses NUL characters, which Postgres cannot hold, naming where', async () => {
      // Each of these was a 500 on Postgres (invalid byte sequence 0x00).
      const inPath = await api('get', '/incidents/a%00b');
      expect(inPath.status).toBe(400);
      expect(inPath.body.error.message).toContain('path:');
      const inQuery = await api('get', '/incidents?owner=group:default/a%00b');
      expect(inQuery.status).toBe(400);
      expect(inQuery.body.error.message).toContain('query.owner:');
      const inBody = await open({ summary: 'Checkout\u0000 fails' });
      expect(inBody.status).toBe(400);
      expect(inBody.body.error.message).toContain('body.summary:');
    });

    it('lets only the owning team and the platform team change incidents', async () => {
      const refused = await open({}, DAVE);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain(
        'only its owning team and the platform team may',
      );
      expect(
        audit.events.some(
          e => e.eventId === 'incident-open' && e.status === 'failed',
        ),
      ).toBe(true);

      const { id } = (await open()).body;
      for (const [path, body] of [
        ['notes', { text: 'hi' }],
        ['status', { status: 'identified' }],
        ['resolve', { cause: 'x' }],
      ] as const) {
        const response = await api(
          'post',
          `/incidents/${id}/${path}`,
          DAVE,
        ).send(body);
        expect(response.status).toBe(403);
      }
      // Everyone signed in reads.
      expect((await api('get', `/incidents/${id}`, DAVE)).status).toBe(200);
      const note = await api('post', `/incidents/${id}/notes`, ALICE).send({
        text: 'Platform team here',
      });
      expect(note.status).toBe(201);
    });

    it('lists incidents by entity, owner and status, a page at a time', async () => {
      const other = await open(
        { entityRef: 'component:default/search', summary: 'Slow search' },
        DAVE,
      );
      expect(other.status).toBe(201);

      const open1 = await api(
        'get',
        '/incidents?status=open&owner=group:default/orders-team',
      );
      expect(open1.body).toEqual({ items: [other.body], totalCount: 1 });

      const all = await api(
        'get',
        '/incidents?entityRef=component:default/orders-api&limit=2',
      );
      expect(all.status).toBe(200);
      expect(specErrors('IncidentList', all.body)).toEqual([]);
      expect(all.body.items).toHaveLength(2);
      expect(all.body.totalCount).toBeGreaterThan(2);
      const next = await api(
        'get',
        '/incidents?entityRef=component:default/orders-api&limit=2&offset=2',
      );
      expect(next.body.items[0].id).not.toBe(all.body.items[1].id);

      const resolved = await api('get', '/incidents?status=resolved');
      expect(
        resolved.body.items.every((i: any) => i.status === 'resolved'),
      ).toBe(true);
    });

    it('answers statistics per service and per team', async () => {
      const stats = await api(
        'get',
        '/stats?owner=group:default/payments-team',
      );
      expect(stats.status).toBe(200);
      expect(specErrors('IncidentStats', stats.body)).toEqual([]);
      const [service] = stats.body.services;
      expect(service).toMatchObject({
        ref: 'component:default/orders-api',
        resolvedCount: 2,
      });
      expect(service.count).toBe(service.openCount + service.resolvedCount);
      expect(service.meanTimeToRestoreMs).toBeGreaterThanOrEqual(0);
      expect(service.medianTimeToRestoreMs).toBeGreaterThanOrEqual(0);
      expect(stats.body.teams).toEqual([
        { ...service, ref: 'group:default/payments-team' },
      ]);

      const future = await api(
        'get',
        `/stats?since=${new Date(Date.now() + 60_000).toISOString()}`,
      );
      expect(future.body.services).toEqual([]);
      expect((await api('get', '/stats?since=yesterday')).status).toBe(400);
    });

    it('shows the runbook runs on the entity while the incident was open', async () => {
      const { id, openedAt } = (
        await open({ entityRef: 'component:default/search' }, DAVE)
      ).body;
      const run = (taskId: string, createdAt: string, entityRef?: string) => ({
        taskId,
        templateRef: 'template:default/restart-deployment',
        entityRef: entityRef ?? 'component:default/search',
        createdBy: DAVE,
        createdAt,
        outcome: 'completed' as const,
        durationMs: 42_000,
        parameters: { deployment: 'search' },
        link: `/create/tasks/${taskId}`,
      });
      runbooks.state.runs = [
        run('before', new Date(Date.parse(openedAt) - 60_000).toISOString()),
        run('during', new Date(Date.parse(openedAt) + 1).toISOString()),
        run(
          'elsewhere',
          new Date(Date.parse(openedAt) + 1).toISOString(),
          'component:default/orders-api',
        ),
      ];
      runbooks.state.callers.length = 0;

      const details = await api('get', `/incidents/${id}`, DAVE);
      expect(details.status).toBe(200);
      expect(specErrors('IncidentDetails', details.body)).toEqual([]);
      expect(details.body.runbookRunsError).toBeUndefined();
      expect(details.body.timeline).toEqual([
        expect.objectContaining({ type: 'opened' }),
        {
          type: 'runbook-run',
          message: `${DAVE} ran the runbook Restart deployment: completed in 42s`,
          actor: DAVE,
          at: new Date(Date.parse(openedAt) + 1).toISOString(),
          runbookRun: {
            taskId: 'during',
            templateRef: 'template:default/restart-deployment',
            templateTitle: 'Restart deployment',
            outcome: 'completed',
            durationMs: 42_000,
            link: '/create/tasks/during',
          },
        },
      ]);
      // Read on behalf of the caller, who sees only what they may see.
      expect(runbooks.state.callers).toEqual([DAVE]);
    });

    it('still shows the timeline when the runbooks backend is down', async () => {
      const { id } = (await open()).body;
      runbooks.state.down = true;
      try {
        const details = await api('get', `/incidents/${id}`);
        expect(details.status).toBe(200);
        expect(details.body.timeline.map((e: any) => e.type)).toEqual([
          'opened',
        ]);
        expect(details.body.runbookRunsError).toBe(
          'Runbook runs could not be loaded: the runbooks service did not answer.',
        );
      } finally {
        runbooks.state.down = false;
      }
    });
  },
);

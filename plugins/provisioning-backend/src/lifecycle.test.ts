import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { EventParams, eventsServiceRef } from '@backstage/plugin-events-node';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import {
  USAGE_EVENTS_TOPIC,
  usageEventSchema,
} from '@paved/plugin-adoption-common';
import {
  provisioningResourceTypesExtensionPoint,
  ResourceType,
} from '@paved/plugin-provisioning-node';
import {
  pavedPolicyPermissions,
  recordingAuditor,
  testDatabaseIds,
  waitFor,
} from '@paved/test-utils';
import supertest from 'supertest';
import { specErrors } from './__testUtils__/openApiSpec';
import { provisioningPlugin } from './plugin';

const BOB = 'user:default/bob'; // payments-team
const DAVE = 'user:default/dave'; // orders-team
const PAYMENTS = 'group:default/payments-team';
const ORDERS = 'group:default/orders-team';

const MEMBERSHIPS: Record<string, string[]> = {
  [BOB]: [PAYMENTS],
  [DAVE]: [ORDERS],
  'user:default/alice': ['group:default/platform-team'],
};

/**
 * An environment-like type: it may copy another one of its kind (a reference the
 * requester must be allowed to change), it expires after `ttl` hours without
 * activity, and its reconcile hook reports what the test puts in `drift`.
 */
function createCopyableType() {
  const drift: string[][] = [];
  const destroyed: string[] = [];
  const type: ResourceType = {
    id: 'copyable',
    title: 'Copyable',
    description: 'A resource that can copy another',
    catalogType: 'environment',
    parameters: {
      type: 'object',
      additionalProperties: false,
      properties: {
        source: { type: 'string', title: 'Source' },
        ttl: { type: 'number', title: 'Hours to live' },
        shareWith: { type: 'string', title: 'Shared with' },
      },
    },
    references: request =>
      request.parameters.source
        ? [
            {
              field: 'parameters.source',
              type: 'copyable',
              name: String(request.parameters.source),
              permission: 'update',
            },
          ]
        : [],
    lifetime: {
      ttlHours: parameters =>
        typeof parameters.ttl === 'number' ? parameters.ttl : undefined,
      maxHours: 2,
    },
    policy: {
      requiresApproval: (request, { references }) => {
        const source = references['parameters.source'];
        return source && request.parameters.shareWith
          ? {
              reason: 'shared copies need the source owner',
              approvers: source.owner,
            }
          : undefined;
      },
    },
    async provision(ctx) {
      if (ctx.request.parameters.source) {
        const source = await ctx.requests.findActive(
          'copyable',
          String(ctx.request.parameters.source),
        );
        await ctx.setOutput('copiedFrom', source?.id ?? 'nothing');
      }
    },
    async destroy(ctx) {
      destroyed.push(ctx.request.name);
    },
    async reconcile() {
      return drift.shift() ?? [];
    },
  };
  return { type, drift, destroyed };
}

const databases = TestDatabases.create({ ids: testDatabaseIds() });

describe.each(databases.eachSupportedId())(
  'references, expiry, drift and usage on %p',
  databaseId => {
    const copyable = createCopyableType();
    const audit = recordingAuditor();
    const scheduler = mockServices.scheduler();
    const published: EventParams[] = [];
    const notified: NotificationSendOptions[] = [];
    let backend: TestBackend;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      backend = await startTestBackend({
        features: [
          provisioningPlugin,
          createBackendModule({
            pluginId: 'provisioning',
            moduleId: 'copyable',
            register(reg) {
              reg.registerInit({
                deps: { types: provisioningResourceTypesExtensionPoint },
                async init({ types }) {
                  types.addResourceType(copyable.type);
                },
              });
            },
          }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              provisioning: {
                worker: {
                  pollInterval: { milliseconds: 50 },
                  retry: { initialBackoff: { milliseconds: 50 } },
                },
                expiry: { warnBefore: { hours: 1 } },
              },
            },
          }),
          pavedPolicyPermissions(MEMBERSHIPS),
          audit.factory,
          createServiceFactory({
            service: notificationService,
            deps: {},
            factory: () => ({
              send: async (options: NotificationSendOptions) => {
                notified.push(options);
              },
            }),
          }),
          createServiceFactory({
            service: eventsServiceRef,
            deps: {},
            factory: () => ({
              publish: async (params: EventParams) => {
                published.push(params);
              },
              subscribe: async () => {},
            }),
          }),
          createServiceFactory({
            service: coreServices.scheduler,
            deps: {},
            factory: () => scheduler,
          }),
        ],
      });
    });

    afterAll(() => backend?.stop());

    const api = (
      method: 'get' | 'post' | 'delete',
      path: string,
      user: string,
    ) =>
      supertest(backend.server)
        [method](`/api/provisioning${path}`)
        .set('authorization', mockCredentials.user.header(user));

    const create = (
      name: string,
      owner: string,
      user: string,
      parameters = {},
    ) =>
      api('post', '/requests', user).send({
        type: 'copyable',
        name,
        owner,
        parameters,
      });

    const waitForState = (id: string, state: string) =>
      waitFor(`request ${id} to be ${state}`, async () => {
        const response = await api(
          'get',
          `/requests/${id}`,
          'user:default/alice',
        );
        return response.body.state === state ? response.body : undefined;
      });

    it('resolves references: unknown ones are a 400 and other teams’ a 403, naming the field', async () => {
      const source = await create('payments-staging', PAYMENTS, BOB);
      expect(source.status).toBe(201);
      await waitForState(source.body.id, 'ready');

      const unknown = await create('copy-of-nothing', PAYMENTS, BOB, {
        source: 'no-such-env',
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toBe(
        "Invalid request: parameters.source: there is no copyable named 'no-such-env'",
      );

      const acrossTeams = await create('orders-copy', ORDERS, DAVE, {
        source: 'payments-staging',
      });
      expect(acrossTeams.status).toBe(403);
      expect(acrossTeams.body.error.message).toContain(
        "parameters.source: you may not use copyable 'payments-staging' of group:default/payments-team",
      );

      const own = await create('payments-copy', PAYMENTS, BOB, {
        source: 'payments-staging',
      });
      expect(own.status).toBe(201);
      const ready = await waitForState(own.body.id, 'ready');
      expect(ready.outputs).toEqual({ copiedFrom: source.body.id });
      // Nothing half-made: the refused requests were never stored.
      const list = await api('get', '/requests?type=copyable', BOB);
      expect(
        list.body.items.map((r: { name: string }) => r.name).sort(),
      ).toEqual(['payments-copy', 'payments-staging']);
    });

    it("routes a type's approval to the referenced request's owner", async () => {
      // The platform team may use any source; the copy shared with it needs the
      // source owner's approval, as the type's policy says.
      const shared = await create(
        'platform-copy',
        'group:default/platform-team',
        'user:default/alice',
        {
          source: 'payments-staging',
          shareWith: 'everyone',
        },
      );
      expect(shared.status).toBe(201);
      expect(shared.body.state).toBe('pending-approval');
      expect(shared.body.approval).toMatchObject({
        group: PAYMENTS,
        reason: "resource type 'copyable': shared copies need the source owner",
      });
      const approved = await api(
        'post',
        `/requests/${shared.body.id}/approve`,
        BOB,
      ).send({});
      expect(approved.status).toBe(200);
    });

    it('expires resources without activity: activity and owners extend them, the sweep warns and tears down', async () => {
      const created = await create('short-lived', PAYMENTS, BOB, { ttl: 0.5 });
      expect(created.status).toBe(201);
      expect(specErrors('Request', created.body)).toEqual([]);
      const expiresAt = Date.parse(created.body.expiresAt);
      expect(expiresAt - Date.parse(created.body.createdAt)).toBe(1_800_000);
      const { id } = await waitForState(created.body.id, 'ready');

      // Activity by an owner moves the expiry on; by another team it is refused.
      await new Promise(resolve => setTimeout(resolve, 20));
      const visited = await api('post', `/requests/${id}/activity`, BOB);
      expect(visited.status).toBe(200);
      expect(Date.parse(visited.body.expiresAt)).toBeGreaterThan(expiresAt);
      expect((await api('post', `/requests/${id}/activity`, DAVE)).status).toBe(
        403,
      );

      const tooLong = await api('post', `/requests/${id}/extend`, BOB).send({
        hours: 3,
      });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.message).toBe(
        'Invalid extension: hours: must be at most 2 for copyable resources',
      );
      const notANumber = await api('post', `/requests/${id}/extend`, BOB).send({
        hours: 'soon',
      });
      expect(notANumber.status).toBe(400);
      expect(notANumber.body.error.message).toContain('hours');
      const neverExpires = await create('forever', PAYMENTS, BOB);
      await waitForState(neverExpires.body.id, 'ready');
      expect(
        (
          await api(
            'post',
            `/requests/${neverExpires.body.id}/extend`,
            BOB,
          ).send({ hours: 1 })
        ).status,
      ).toBe(409);

      // Expiring within the warning period (1 hour): the owners hear of it once.
      await scheduler.triggerTask('provisioning-expiry');
      await scheduler.triggerTask('provisioning-expiry');
      const warnings = notified.filter(n =>
        n.payload.title.includes("'short-lived' expires at"),
      );
      expect(warnings).toHaveLength(1);
      expect(warnings[0].payload.link).toBe(
        `/self-service/requests/${id}?extend=1`,
      );

      // Extended by an owner, it does not expire in the sweep.
      const extended = await api('post', `/requests/${id}/extend`, BOB).send({
        hours: 2,
      });
      expect(extended.status).toBe(200);
      expect(Date.parse(extended.body.expiresAt)).toBeGreaterThan(
        Date.now() + 3_500_000,
      );

      // A resource whose expiry passed is torn down by the sweep.
      const brief = await create('brief', PAYMENTS, BOB, { ttl: 0.0003 });
      await waitForState(brief.body.id, 'ready');
      await waitFor('the brief resource to expire', async () =>
        Date.now() > Date.parse(brief.body.expiresAt) + 10 ? true : undefined,
      );
      await scheduler.triggerTask('provisioning-expiry');
      const gone = await waitForState(brief.body.id, 'deleted');
      expect(gone.timeline.map((e: { type: string }) => e.type)).toContain(
        'expired',
      );
      expect(copyable.destroyed).toContain('brief');
      expect((await api('get', `/requests/${id}`, BOB)).body.state).toBe(
        'ready',
      );
      expect(audit.events).toContainEqual(
        expect.objectContaining({
          eventId: 'request-expire',
          status: 'succeeded',
        }),
      );
    });

    it('records drift corrections in the timeline, and nothing when nothing drifted', async () => {
      const { body } = await api(
        'get',
        '/requests?type=copyable&state=ready',
        BOB,
      );
      const before = await Promise.all(
        body.items.map((r: { id: string }) =>
          api('get', `/requests/${r.id}`, BOB),
        ),
      );
      copyable.drift.push(['ResourceQuota paved-quota was missing; recreated']);
      await scheduler.triggerTask('provisioning-reconcile');
      await scheduler.triggerTask('provisioning-reconcile');
      const after = await Promise.all(
        body.items.map((r: { id: string }) =>
          api('get', `/requests/${r.id}`, BOB),
        ),
      );
      const corrections = after.flatMap(r =>
        r.body.timeline.filter(
          (e: { type: string }) => e.type === 'drift-corrected',
        ),
      );
      expect(corrections).toEqual([
        expect.objectContaining({
          message: 'ResourceQuota paved-quota was missing; recreated',
          actor: 'system:reconciler',
        }),
      ]);
      expect(after.flatMap(r => r.body.timeline).length).toBe(
        before.flatMap(r => r.body.timeline).length + 1,
      );
    });

    it('records every mutation as a valid usage event, refusals included', async () => {
      const usage = published.filter(p => p.topic === USAGE_EVENTS_TOPIC);
      for (const event of usage) {
        expect(
          usageEventSchema.safeParse(event.eventPayload).error,
        ).toBeUndefined();
      }
      const payloads = usage.map(
        p => p.eventPayload as Record<string, unknown>,
      );
      expect(payloads).toContainEqual(
        expect.objectContaining({
          plugin: 'provisioning',
          action: 'request-create',
          subject: 'copyable',
          team: PAYMENTS,
          actor: BOB,
          outcome: 'succeeded',
        }),
      );
      expect(payloads).toContainEqual(
        expect.objectContaining({
          action: 'request-create',
          outcome: 'failed',
          actor: DAVE,
        }),
      );
      expect(payloads).toContainEqual(
        expect.objectContaining({
          action: 'request-extend',
          outcome: 'succeeded',
        }),
      );
      expect(payloads).toContainEqual(
        expect.objectContaining({
          action: 'request-approve',
          team: 'group:default/platform-team',
        }),
      );
    });
  },
);

import {
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { provisioningResourceTypesExtensionPoint } from '@paved/plugin-provisioning-node';
import {
  pavedPolicyPermissions,
  recordingAuditor,
  testDatabaseIds,
  waitFor,
} from '@paved/test-utils';
import request from 'supertest';
import { createFakeResourceType } from './__testUtils__/fakeResourceType';
import { specErrors } from './__testUtils__/openApiSpec';
import { provisioningPlugin } from './plugin';

/** Group memberships of the users this test acts as. */
const MEMBERSHIPS: Record<string, string[]> = {
  'user:default/bob': ['group:default/payments-team'],
  'user:default/carol': ['group:default/payments-team'],
  'user:default/dave': ['group:default/orders-team'],
  'user:default/erin': ['group:default/analytics-team'],
  'user:default/alice': ['group:default/platform-team'],
  'user:default/frank': ['group:default/platform-team'],
};

const CONFIG = {
  provisioning: {
    policy: {
      quotas: [{ type: 'fake', owner: 'group:default/analytics-team', max: 2 }],
      approvals: [
        { name: 'production', parameter: 'environment', equals: 'production' },
      ],
    },
    worker: {
      pollInterval: { milliseconds: 50 },
      retry: { initialBackoff: { milliseconds: 50 } },
    },
  },
};

const databases = TestDatabases.create({ ids: testDatabaseIds() });

/** Stands in for the notifications plugin: records what would be sent. */
function recordingNotifications() {
  const sent: NotificationSendOptions[] = [];
  return {
    sent,
    factory: createServiceFactory({
      service: notificationService,
      deps: {},
      factory: () => ({
        send: async (options: NotificationSendOptions) => {
          sent.push(options);
        },
      }),
    }),
  };
}

describe.each(databases.eachSupportedId())(
  'the provisioning plugin on %p',
  databaseId => {
    const fake = createFakeResourceType();
    const audit = recordingAuditor();
    const notifications = recordingNotifications();
    let backend: TestBackend;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      backend = await startTestBackend({
        features: [
          provisioningPlugin,
          createBackendModule({
            pluginId: 'provisioning',
            moduleId: 'fake',
            register(reg) {
              reg.registerInit({
                deps: { types: provisioningResourceTypesExtensionPoint },
                async init({ types }) {
                  types.addResourceType(fake.type);
                },
              });
            },
          }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({ data: CONFIG }),
          pavedPolicyPermissions(MEMBERSHIPS),
          audit.factory,
          notifications.factory,
        ],
      });
    });

    afterAll(() => backend?.stop());

    const api = (
      method: 'get' | 'post' | 'delete',
      path: string,
      user?: string,
    ) =>
      request(backend.server)
        [method](`/api/provisioning${path}`)
        .set(
          'authorization',
          user
            ? mockCredentials.user.header(user)
            : mockCredentials.service.header(),
        );

    const requestBody = (name: string, overrides: object = {}) => ({
      type: 'fake',
      name,
      owner: 'group:default/payments-team',
      parameters: { environment: 'dev' },
      ...overrides,
    });

    async function waitForState(id: string, state: string) {
      return waitFor(`request ${id} to be ${state}`, async () => {
        const response = await api(
          'get',
          `/requests/${id}`,
          'user:default/bob',
        );
        if (response.body.state === 'failed' && state !== 'failed') {
          throw new Error(`request failed: ${response.body.lastError}`);
        }
        return response.body.state === state ? response.body : undefined;
      });
    }

    it('describes the registered resource types', async () => {
      const response = await api('get', '/types', 'user:default/bob');
      expect(response.status).toBe(200);
      expect(response.body.items).toEqual([
        expect.objectContaining({
          id: 'fake',
          parameters: fake.type.parameters,
          actions: [
            expect.objectContaining({ id: 'resize' }),
            expect.objectContaining({ id: 'promote' }),
          ],
        }),
      ]);
    });

    it('provisions, runs a day-2 action and deletes, idempotently at every step', async () => {
      const bob = 'user:default/bob';
      const created = await api('post', '/requests', bob).send(
        requestBody('orders-db'),
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        state: 'provisioning',
        owner: 'group:default/payments-team',
        parameters: { environment: 'dev', sizeGb: 10 },
        createdBy: bob,
      });
      expect(specErrors('Request', created.body)).toEqual([]);
      const { id } = created.body;

      const repeated = await api('post', '/requests', bob).send(
        requestBody('orders-db'),
      );
      expect(repeated.body.error?.message).toBeUndefined();
      expect(repeated.status).toBe(200);
      expect(repeated.body.id).toBe(id);

      const different = await api('post', '/requests', bob).send(
        requestBody('orders-db', { parameters: { environment: 'staging' } }),
      );
      expect(different.status).toBe(409);
      expect(different.body.error.message).toBe(
        `Invalid request: name: group:default/payments-team already has fake 'orders-db' (request ${id}) with different parameters`,
      );

      const ready = await waitForState(id, 'ready');
      expect(specErrors('RequestDetails', ready)).toEqual([]);
      expect(ready.outputs).toEqual({ handle: 'fake-orders-db' });
      expect(ready.timeline.map((e: { type: string }) => e.type)).toEqual([
        'requested',
        'step-started',
        'ready',
      ]);

      const action = { input: { sizeGb: 20 }, idempotencyKey: 'resize-1' };
      const queued = await api(
        'post',
        `/requests/${id}/actions/resize`,
        bob,
      ).send(action);
      expect(queued.status).toBe(202);
      expect(specErrors('Operation', queued.body)).toEqual([]);
      const again = await api(
        'post',
        `/requests/${id}/actions/resize`,
        bob,
      ).send(action);
      expect(again.status).toBe(202);
      expect(again.body.id).toBe(queued.body.id);
      await waitFor('the resize to finish', async () => {
        const r = await api('get', `/requests/${id}`, bob);
        return r.body.outputs.sizeGb === 20 && r.body.state === 'ready';
      });
      expect(fake.recorder.actions.filter(a => a.requestId === id)).toEqual([
        { requestId: id, action: 'resize', input: { sizeGb: 20 } },
      ]);

      const badInput = await api(
        'post',
        `/requests/${id}/actions/resize`,
        bob,
      ).send({
        input: { sizeGb: 0 },
      });
      expect(badInput.status).toBe(400);
      expect(badInput.body.error.message).toBe(
        'Invalid input: input.sizeGb: must be >= 1',
      );
      // The type's own check of the input against the request: a 400, nothing queued.
      const sameSize = await api(
        'post',
        `/requests/${id}/actions/resize`,
        bob,
      ).send({ input: { sizeGb: 20 } });
      expect(sameSize.status).toBe(400);
      expect(sameSize.body.error.message).toBe(
        'Invalid input: input.sizeGb: orders-db has 20 GB already',
      );
      expect(
        (await api('get', `/requests/${id}`, bob)).body.activeOperation,
      ).toBeUndefined();
      const unknown = await api(
        'post',
        `/requests/${id}/actions/explode`,
        bob,
      ).send({});
      expect(unknown.status).toBe(404);

      const deleting = await api('delete', `/requests/${id}`, bob);
      expect(deleting.status).toBe(202);
      expect(deleting.body.state).toBe('deleting');
      await waitForState(id, 'deleted');
      const deletedAgain = await api('delete', `/requests/${id}`, bob);
      expect(deletedAgain.status).toBe(202);
      expect(deletedAgain.body.state).toBe('deleted');
      expect(fake.recorder.destroys.get(id)).toBe(1);

      // The name is free again.
      const recreated = await api('post', '/requests', bob).send(
        requestBody('orders-db'),
      );
      expect(recreated.status).toBe(201);
      expect(recreated.body.id).not.toBe(id);
    });

    it('holds production requests for the platform team, who approve or reject with a comment', async () => {
      const bob = 'user:default/bob';
      const alice = 'user:default/alice';
      const created = await api('post', '/requests', bob).send(
        requestBody('prod-db', { parameters: { environment: 'production' } }),
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        state: 'pending-approval',
        approval: {
          group: 'group:default/platform-team',
          reason: 'rule \'production\': parameters.environment is "production"',
        },
      });
      const { id } = created.body;

      const pending = await api(
        'get',
        '/requests?state=pending-approval&approvalGroup=group:default/platform-team',
        alice,
      );
      expect(pending.status).toBe(200);
      expect(pending.body.items.map((r: { id: string }) => r.id)).toContain(id);

      const byTeammate = await api(
        'post',
        `/requests/${id}/approve`,
        'user:default/carol',
      ).send({});
      expect(byTeammate.status).toBe(403);

      const noComment = await api('post', `/requests/${id}/reject`, alice).send(
        {},
      );
      expect(noComment.status).toBe(400);
      expect(noComment.body.error.message).toBe(
        'Invalid decision: comment: is required when rejecting',
      );

      const approved = await api('post', `/requests/${id}/approve`, alice).send(
        {
          comment: 'sized sensibly',
        },
      );
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        state: 'provisioning',
        approval: {
          decision: 'approved',
          decidedBy: alice,
          comment: 'sized sensibly',
        },
      });
      const twice = await api('post', `/requests/${id}/approve`, alice).send(
        {},
      );
      expect(twice.status).toBe(200);
      const rejectedLate = await api(
        'post',
        `/requests/${id}/reject`,
        alice,
      ).send({
        comment: 'changed my mind',
      });
      expect(rejectedLate.status).toBe(409);
      await waitForState(id, 'ready');

      // Approvers heard that it waited for them; the requester and the owning team
      // heard of the decision and of the database being ready.
      const about = notifications.sent.filter(n =>
        n.payload.link?.endsWith(`/requests/${id}`),
      );
      // In any order: the worker may report ready before the approval is sent.
      expect(about).toHaveLength(3);
      expect(
        about.map(n => [n.recipients, n.payload.title, n.payload.severity]),
      ).toEqual(
        expect.arrayContaining([
          [
            {
              type: 'entity',
              entityRef: ['group:default/platform-team'],
              excludeEntityRef: bob,
            },
            "Approval needed: fake 'prod-db' for group:default/payments-team",
            'high',
          ],
          [
            {
              type: 'entity',
              entityRef: [bob, 'group:default/payments-team'],
              excludeEntityRef: alice,
            },
            `fake 'prod-db' was approved by ${alice}`,
            'normal',
          ],
          [
            {
              type: 'entity',
              entityRef: [bob, 'group:default/payments-team'],
            },
            "fake 'prod-db' is ready",
            'normal',
          ],
        ]),
      );

      const other = await api('post', '/requests', bob).send(
        requestBody('prod-cache', {
          parameters: { environment: 'production' },
        }),
      );
      const rejected = await api(
        'post',
        `/requests/${other.body.id}/reject`,
        alice,
      ).send({
        comment: 'use the shared cache',
      });
      expect(rejected.status).toBe(200);
      expect(rejected.body).toMatchObject({
        state: 'rejected',
        approval: { decision: 'rejected', comment: 'use the shared cache' },
      });

      // Nobody approves their own request, platform team included.
      const own = await api('post', '/requests', alice).send(
        requestBody('platform-db', {
          owner: 'group:default/platform-team',
          parameters: { environment: 'production' },
        }),
      );
      const self = await api(
        'post',
        `/requests/${own.body.id}/approve`,
        alice,
      ).send({});
      expect(self.status).toBe(403);
      expect(self.body.error.message).toContain('may not decide on it');
      const peer = await api(
        'post',
        `/requests/${own.body.id}/approve`,
        'user:default/frank',
      ).send({});
      expect(peer.status).toBe(200);
    });

    it('holds a day-2 action for an approval: approved it runs, rejected it ends, the request stays ready', async () => {
      const bob = 'user:default/bob';
      const alice = 'user:default/alice';
      const created = await api('post', '/requests', bob).send(
        requestBody('promoted-db'),
      );
      const { id } = created.body;
      await waitForState(id, 'ready');
      const promotions = () =>
        fake.recorder.actions.filter(
          a => a.requestId === id && a.action === 'promote',
        );

      const promote = {
        input: { to: 'production' },
        idempotencyKey: 'promote-1',
      };
      const held = await api(
        'post',
        `/requests/${id}/actions/promote`,
        bob,
      ).send(promote);
      expect(held.status).toBe(202);
      expect(specErrors('Operation', held.body)).toEqual([]);
      expect(held.body).toMatchObject({
        kind: 'action',
        action: 'promote',
        status: 'pending-approval',
        approval: {
          group: 'group:default/platform-team',
          reason:
            "action 'promote' of resource type 'fake': promoting promoted-db to production",
        },
      });
      const repeated = await api(
        'post',
        `/requests/${id}/actions/promote`,
        bob,
      ).send(promote);
      expect(repeated.status).toBe(202);
      expect(repeated.body).toMatchObject({
        id: held.body.id,
        status: 'pending-approval',
      });
      const waiting = await api('get', `/requests/${id}`, bob);
      expect(specErrors('RequestDetails', waiting.body)).toEqual([]);
      expect(waiting.body).toMatchObject({
        state: 'ready',
        activeOperation: { id: held.body.id, status: 'pending-approval' },
      });

      // One unfinished operation per request: nothing else meanwhile.
      const other = await api(
        'post',
        `/requests/${id}/actions/resize`,
        bob,
      ).send({ input: { sizeGb: 30 } });
      expect(other.status).toBe(409);
      const deleting = await api('delete', `/requests/${id}`, bob);
      expect(deleting.status).toBe(409);
      expect(deleting.body.error.message).toContain(
        "has action 'promote' waiting for an approval by group:default/platform-team",
      );

      // Only the action's approvers decide, never the one who asked for it.
      const byTeammate = await api(
        'post',
        `/requests/${id}/approve`,
        'user:default/carol',
      ).send({});
      expect(byTeammate.status).toBe(403);
      expect(byTeammate.body.error.message).toBe(
        "user:default/carol may not approve or reject fake 'promoted-db' of group:default/payments-team",
      );
      const noComment = await api('post', `/requests/${id}/reject`, alice).send(
        {},
      );
      expect(noComment.status).toBe(400);

      // No worker runs it while it waits (they poll every 50 ms).
      await new Promise(resolve => setTimeout(resolve, 300));
      expect(promotions()).toEqual([]);

      const approved = await api('post', `/requests/${id}/approve`, alice).send(
        { comment: 'release window' },
      );
      expect(approved.status).toBe(200);
      expect(specErrors('Request', approved.body)).toEqual([]);
      expect(approved.body.approval).toBeUndefined();
      await waitFor('the promotion to run', async () => {
        const r = await api('get', `/requests/${id}`, bob);
        return r.body.state === 'ready' &&
          r.body.outputs.promotedTo === 'production'
          ? r.body
          : undefined;
      });
      expect(promotions()).toHaveLength(1);
      const twice = await api('post', `/requests/${id}/approve`, alice).send(
        {},
      );
      expect(twice.status).toBe(200);
      const rejectedLate = await api(
        'post',
        `/requests/${id}/reject`,
        alice,
      ).send({ comment: 'too late' });
      expect(rejectedLate.status).toBe(409);

      const second = await api(
        'post',
        `/requests/${id}/actions/promote`,
        bob,
      ).send({ input: { to: 'production' }, idempotencyKey: 'promote-2' });
      expect(second.body.status).toBe('pending-approval');
      const rejected = await api(
        'post',
        `/requests/${id}/reject`,
        'user:default/frank',
      ).send({ comment: 'not this week' });
      expect(rejected.status).toBe(200);
      expect(rejected.body.state).toBe('ready');
      expect(rejected.body.activeOperation).toBeUndefined();
      const details = (await api('get', `/requests/${id}`, bob)).body;
      expect(
        details.operations.find((o: { id: string }) => o.id === second.body.id),
      ).toMatchObject({
        status: 'failed',
        lastError: 'Rejected by user:default/frank: not this week',
        approval: {
          decision: 'rejected',
          decidedBy: 'user:default/frank',
          comment: 'not this week',
        },
      });
      expect(
        details.operations.find((o: { id: string }) => o.id === held.body.id),
      ).toMatchObject({
        status: 'succeeded',
        approval: { decision: 'approved', decidedBy: alice },
      });
      expect(
        details.timeline
          .filter((e: { operationId?: string }) => e.operationId)
          .map((e: { type: string; message: string }) => [e.type, e.message]),
      ).toEqual(
        expect.arrayContaining([
          [
            'approval-required',
            "Action 'promote' needs an approval from group:default/platform-team: action 'promote' of resource type 'fake': promoting promoted-db to production",
          ],
          [
            'action-approved',
            `${alice} approved action 'promote': release window`,
          ],
          [
            'action-rejected',
            "user:default/frank rejected action 'promote': not this week",
          ],
        ]),
      );
      // The rejected action never ran; the request takes actions again at once.
      expect(promotions()).toHaveLength(1);
      const resize = await api(
        'post',
        `/requests/${id}/actions/resize`,
        bob,
      ).send({ input: { sizeGb: 30 } });
      expect(resize.status).toBe(202);
      expect(resize.body.status).toBe('queued');
      await waitFor('the resize to finish', async () => {
        const r = await api('get', `/requests/${id}`, bob);
        return r.body.outputs.sizeGb === 30 && r.body.state === 'ready';
      });

      const decisions = audit.events.filter(
        e => e.eventId === 'request-approve' && e.meta.requestId === id,
      );
      expect(decisions).toContainEqual(
        expect.objectContaining({
          status: 'succeeded',
          meta: expect.objectContaining({
            operationId: held.body.id,
            action: 'promote',
          }),
        }),
      );
      const about = notifications.sent.filter(
        n =>
          n.payload.link?.endsWith(`/requests/${id}`) &&
          /action 'promote'/i.test(n.payload.title),
      );
      expect(
        about.map(n => [n.recipients, n.payload.title, n.payload.severity]),
      ).toEqual([
        [
          {
            type: 'entity',
            entityRef: ['group:default/platform-team'],
            excludeEntityRef: bob,
          },
          "Approval needed: action 'promote' on fake 'promoted-db' of group:default/payments-team",
          'high',
        ],
        [
          {
            type: 'entity',
            entityRef: [bob, 'group:default/payments-team'],
            excludeEntityRef: alice,
          },
          `Action 'promote' on fake 'promoted-db' was approved by ${alice}`,
          'normal',
        ],
        [
          {
            type: 'entity',
            entityRef: ['group:default/platform-team'],
            excludeEntityRef: bob,
          },
          "Approval needed: action 'promote' on fake 'promoted-db' of group:default/payments-team",
          'high',
        ],
        [
          {
            type: 'entity',
            entityRef: [bob, 'group:default/payments-team'],
            excludeEntityRef: 'user:default/frank',
          },
          "Action 'promote' on fake 'promoted-db' was rejected by user:default/frank",
          'high',
        ],
      ]);
    });

    it('lets nobody approve an action they asked for, and routes it to the approvers the type names', async () => {
      const alice = 'user:default/alice';
      const own = await api('post', '/requests', alice).send(
        requestBody('platform-promoted', {
          owner: 'group:default/platform-team',
          parameters: { environment: 'staging' },
        }),
      );
      const { id } = own.body;
      await waitForState(id, 'ready');
      const held = await api(
        'post',
        `/requests/${id}/actions/promote`,
        alice,
      ).send({ input: { to: 'production' } });
      expect(held.body).toMatchObject({
        status: 'pending-approval',
        approval: { group: 'group:default/orders-team' },
      });
      const self = await api('post', `/requests/${id}/approve`, alice).send({});
      expect(self.status).toBe(403);
      expect(self.body.error.message).toBe(
        `${alice} asked for action 'promote' on request ${id} and may not decide on it; another member of group:default/orders-team must`,
      );
      // The type routed it to the orders team: payments has no say, orders does.
      const stranger = await api(
        'post',
        `/requests/${id}/approve`,
        'user:default/carol',
      ).send({});
      expect(stranger.status).toBe(403);
      const approver = await api(
        'post',
        `/requests/${id}/approve`,
        'user:default/dave',
      ).send({});
      expect(approver.status).toBe(200);
      await waitFor('the promotion to run', async () => {
        const r = await api('get', `/requests/${id}`, alice);
        return r.body.outputs.promotedTo === 'production' &&
          r.body.state === 'ready'
          ? r.body
          : undefined;
      });
    });

    it("refuses requests beyond the owner's quota, naming the owner", async () => {
      const erin = 'user:default/erin';
      const owner = { owner: 'group:default/analytics-team' };
      for (const name of ['lake-1', 'lake-2']) {
        expect(
          (await api('post', '/requests', erin).send(requestBody(name, owner)))
            .status,
        ).toBe(201);
      }
      const third = await api('post', '/requests', erin).send(
        requestBody('lake-3', owner),
      );
      expect(third.status).toBe(409);
      expect(third.body.error.message).toBe(
        "Quota exceeded: owner: group:default/analytics-team uses 2 of its quota of 2 for 'fake' (provisioning.policy.quotas) and this request needs 1 more",
      );
    });

    it('answers invalid input with a 400 naming the field, and stores nothing', async () => {
      const bob = 'user:default/bob';
      const cases: Array<[object | string, string]> = [
        [
          requestBody('bad-1', {
            parameters: { environment: 'dev', sizeGb: 501 },
          }),
          'Invalid parameters: parameters.sizeGb: must be <= 500',
        ],
        [
          requestBody('bad-2', { parameters: { sizeGb: 5, colour: 'red' } }),
          'Invalid parameters: parameters.environment: is required; parameters.colour: is not allowed',
        ],
        [
          requestBody('bad-3', { parameters: [] }),
          'Invalid request: parameters: must be an object',
        ],
        [
          requestBody('bad-4', { type: 'postgres' }),
          "Invalid request: type: unknown resource type 'postgres'; known types are 'fake'",
        ],
        [
          requestBody('Bad_Name'),
          'Invalid request: name: must be lowercase letters, digits and dashes, starting and ending with a letter or digit',
        ],
        [
          requestBody('reserved-db'),
          "Invalid request: name: must not start with 'reserved-'",
        ],
        [
          requestBody('bad-7', {
            parameters: { environment: 'production', sizeGb: 1 },
          }),
          'Invalid parameters: parameters.sizeGb: production needs more than 1 GB',
        ],
        [
          requestBody('bad-5', { owner: 'user:default/bob' }),
          "Invalid request: owner: 'user:default/bob' is not a group entity ref, e.g. group:default/payments-team",
        ],
        [
          { name: 'bad-6', extra: true },
          'Invalid request: type: is required; owner: is required; extra: is not allowed',
        ],
      ];
      for (const [body, message] of cases) {
        const response = await api('post', '/requests', bob).send(body);
        expect({
          status: response.status,
          message: response.body.error?.message,
        }).toEqual({
          status: 400,
          message,
        });
        expect(specErrors('Error', response.body)).toEqual([]);
      }
      const notJson = await api('post', '/requests', bob)
        .set('content-type', 'application/json')
        .send('{"type": ');
      expect(notJson.status).toBe(400);
      const badQuery = await api('get', '/requests?state=done', bob);
      expect(badQuery.status).toBe(400);
      expect(badQuery.body.error.message).toContain('state[0]: must be one of');

      const stored = await api(
        'get',
        '/requests?owner=group:default/payments-team',
        bob,
      );
      expect(
        stored.body.items.map((r: { name: string }) => r.name),
      ).not.toContain('bad-1');
      expect(
        stored.body.items.some((r: { name: string }) =>
          r.name.startsWith('bad'),
        ),
      ).toBe(false);
    });

    it("refuses changes to other teams' requests with a 403, and lets the platform team make them", async () => {
      const bob = 'user:default/bob';
      const dave = 'user:default/dave';
      const created = await api('post', '/requests', bob).send(
        requestBody('ledger-db'),
      );
      const { id } = created.body;
      await waitForState(id, 'ready');

      const forOthers = await api('post', '/requests', dave).send(
        requestBody('sneaky-db'),
      );
      expect(forOthers.status).toBe(403);
      expect(forOthers.body.error.message).toBe(
        "user:default/dave may not request fake 'sneaky-db' of group:default/payments-team",
      );
      const deleted = await api('delete', `/requests/${id}`, dave);
      expect(deleted.status).toBe(403);
      expect(deleted.body.error.message).toBe(
        "user:default/dave may not delete fake 'ledger-db' of group:default/payments-team",
      );
      const action = await api(
        'post',
        `/requests/${id}/actions/resize`,
        dave,
      ).send({
        input: { sizeGb: 30 },
      });
      expect(action.status).toBe(403);
      // Reading is open to everyone signed in.
      expect((await api('get', `/requests/${id}`, dave)).status).toBe(200);

      const byPlatform = await api(
        'delete',
        `/requests/${id}`,
        'user:default/alice',
      );
      expect(byPlatform.status).toBe(202);
      await waitForState(id, 'deleted');

      const events = audit.events.filter(e => e.eventId === 'request-delete');
      expect(events).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            status: 'failed',
            meta: { requestId: id },
            error: expect.stringContaining('user:default/dave may not delete'),
          }),
          {
            eventId: 'request-delete',
            status: 'succeeded',
            meta: { requestId: id, state: 'deleting' },
          },
        ]),
      );
    });

    it('lets the permission backend evaluate ownership conditions on stored requests', async () => {
      const created = await api('post', '/requests', 'user:default/carol').send(
        requestBody('shared-db'),
      );
      const evaluate = async (claims: string[]) => {
        const response = await request(backend.server)
          .post(
            '/api/provisioning/.well-known/backstage/permissions/apply-conditions',
          )
          .set('authorization', mockCredentials.service.header())
          .send({
            items: [
              {
                id: '1',
                resourceRef: created.body.id,
                resourceType: 'provisioning-request',
                conditions: {
                  rule: 'IS_REQUEST_OWNER',
                  resourceType: 'provisioning-request',
                  params: { claims },
                },
              },
            ],
          });
        expect(response.status).toBe(200);
        return response.body.items[0].result;
      };
      expect(
        await evaluate(['user:default/bob', 'group:default/payments-team']),
      ).toBe('ALLOW');
      expect(
        await evaluate(['user:default/dave', 'group:default/orders-team']),
      ).toBe('DENY');
    });

    it('lets CI request resources with a service token', async () => {
      const response = await request(backend.server)
        .post('/api/provisioning/requests')
        .set('authorization', mockCredentials.service.header())
        .send(requestBody('ci-db', { owner: 'group:default/orders-team' }));
      expect(response.status).toBe(201);
      expect(response.body.createdBy).toBe(
        mockCredentials.service().principal.subject,
      );
      expect(audit.events).toContainEqual({
        eventId: 'request-create',
        status: 'succeeded',
        meta: {
          type: 'fake',
          name: 'ci-db',
          owner: 'group:default/orders-team',
          requestId: response.body.id,
          created: true,
        },
      });
    });

    it('answers unknown requests with a 404 and strangers with a 401', async () => {
      const missing = await api('get', '/requests/nope', 'user:default/bob');
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toBe(
        "Provisioning request 'nope' does not exist",
      );
      const anonymous = await request(backend.server)
        .get('/api/provisioning/requests')
        .set('authorization', mockCredentials.none.header());
      expect(anonymous.status).toBe(401);
    });
  },
);

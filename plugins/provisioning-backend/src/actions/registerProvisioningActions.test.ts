import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  provisioningResourceTypesExtensionPoint,
  ResourceType,
} from '@paved/plugin-provisioning-node';
import {
  pavedPolicyPermissions,
  recordingAuditor,
  testDatabaseIds,
  userInfoFromMembers,
  waitFor,
} from '@paved/test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import { createFakeResourceType } from '../__testUtils__/fakeResourceType';
import { specErrors } from '../__testUtils__/openApiSpec';
import { EVENTS, OPERATIONS, REQUESTS } from '../database/rows';
import { provisioningPlugin } from '../plugin';

const BOB = 'user:default/bob';
const DAVE = 'user:default/dave';
const PAYMENTS = 'group:default/payments-team';
const MEMBERSHIPS: Record<string, string[]> = {
  [BOB]: [PAYMENTS],
  'user:default/carol': [PAYMENTS],
  [DAVE]: ['group:default/orders-team'],
  'user:default/alice': ['group:default/platform-team'],
};

const AGENT_REASON =
  "paved.agents.request is 'approval': made by an agent, so a person approves it";

/**
 * The default agent policy, but for extending, which config may allow: `change`
 * actions are denied to agents unless it does.
 */
const CONFIG = {
  app: { baseUrl: 'https://portal.example.com' },
  paved: { agents: { actions: { 'provisioning:extend-resource': 'allow' } } },
  provisioning: {
    policy: {
      quotas: [{ type: 'fake', owner: PAYMENTS, max: 10 }],
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

/** An expiring type that can be copied, as environments are, for clone and extend. */
function fakeEnvironmentType(): ResourceType {
  const { type } = createFakeResourceType();
  return {
    id: 'environment',
    title: 'Fake environment',
    description: 'A namespace that exists only in the test',
    parameters: {
      type: 'object',
      additionalProperties: false,
      properties: {
        source: { type: 'string' },
        ttlHours: { type: 'integer', minimum: 1, maximum: 168, default: 72 },
      },
    },
    references: req =>
      req.parameters.source
        ? [
            {
              field: 'parameters.source',
              type: 'environment',
              name: String(req.parameters.source),
              permission: 'update',
            },
          ]
        : [],
    lifetime: {
      ttlHours: parameters => Number(parameters.ttlHours),
      maxHours: 168,
    },
    provision: type.provision,
    destroy: type.destroy,
  };
}

/** The fields the registry's InputError names (its zod issues' paths). */
function fieldsOf(error: {
  cause?: { issues?: Array<{ path: Array<string | number> }> };
}): string[] {
  return (error.cause?.issues ?? []).map(issue => issue.path.join('.'));
}

const databases = TestDatabases.create({ ids: testDatabaseIds() });

describe.each(databases.eachSupportedId())(
  "the provisioning plugin's agent actions on %p",
  databaseId => {
    const fake = createFakeResourceType();
    const audit = recordingAuditor();
    let backend: TestBackend;
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
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
                  types.addResourceType(fakeEnvironmentType());
                },
              });
            },
          }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({ data: CONFIG }),
          pavedPolicyPermissions(MEMBERSHIPS),
          userInfoFromMembers(MEMBERSHIPS),
          audit.factory,
        ],
      });
    });

    afterAll(() => backend?.stop());

    const as = (user: string) => mockCredentials.user.header(user);

    /** Calls an action as the registry's HTTP API (what the MCP server calls) does. */
    const invoke = (name: string, input: object, user = BOB) =>
      request(backend.server)
        .post(
          `/api/provisioning/.backstage/actions/v1/actions/provisioning:${name}/invoke`,
        )
        .set('authorization', as(user))
        .send(input);

    const rest = (method: 'get' | 'post', path: string, user = BOB) =>
      request(backend.server)
        [method](`/api/provisioning${path}`)
        .set('authorization', as(user));

    const rowCounts = async () =>
      Object.fromEntries(
        await Promise.all(
          [REQUESTS, OPERATIONS, EVENTS].map(async table => {
            const [{ count }] = await knex(table).count({ count: '*' });
            return [table, Number(count)];
          }),
        ),
      );

    /** A ready request of bob's team, made through REST as a person would. */
    async function readyRequest(
      name: string,
      type = 'fake',
      parameters: object = { environment: 'dev' },
    ): Promise<string> {
      const created = await rest('post', '/requests').send({
        type,
        name,
        owner: PAYMENTS,
        parameters,
      });
      expect(created.status).toBe(201);
      await waitFor(`${name} to be ready`, async () => {
        const { body } = await rest('get', `/requests/${created.body.id}`);
        return body.state === 'ready' ? body : undefined;
      });
      return created.body.id;
    }

    it('registers the actions with truthful attributes', async () => {
      const { body } = await request(backend.server)
        .get('/api/provisioning/.backstage/actions/v1/actions')
        .set('authorization', as(BOB));
      const attributes = Object.fromEntries(
        body.actions.map((action: any) => [action.name, action.attributes]),
      );
      expect(attributes).toEqual({
        'list-resource-types': {
          readOnly: true,
          destructive: false,
          idempotent: true,
        },
        'plan-request': {
          readOnly: true,
          destructive: false,
          idempotent: true,
        },
        'submit-request': {
          readOnly: false,
          destructive: false,
          idempotent: true,
        },
        'get-request': { readOnly: true, destructive: false, idempotent: true },
        'list-my-resources': {
          readOnly: true,
          destructive: false,
          idempotent: true,
        },
        'extend-resource': {
          readOnly: false,
          destructive: false,
          idempotent: true,
        },
        'run-resource-action': {
          readOnly: false,
          destructive: false,
          idempotent: false,
        },
        'delete-resource': {
          readOnly: false,
          destructive: true,
          idempotent: true,
        },
        'clone-environment': {
          readOnly: false,
          destructive: false,
          idempotent: true,
        },
      });
      // Every input field is described, so that an agent can act on it.
      for (const action of body.actions) {
        for (const [field, schema] of Object.entries<any>(
          action.schema.input.properties ?? {},
        )) {
          expect([action.name, field, schema.description]).toEqual([
            action.name,
            field,
            expect.any(String),
          ]);
        }
      }
    });

    it('lists the resource types with their schemas and actions', async () => {
      const response = await invoke('list-resource-types', {});
      expect(response.status).toBe(200);
      expect(response.body.output.items).toEqual([
        expect.objectContaining({
          id: 'fake',
          parameters: fake.type.parameters,
          actions: [
            expect.objectContaining({ id: 'resize' }),
            expect.objectContaining({ id: 'promote' }),
          ],
        }),
        expect.objectContaining({
          id: 'environment',
          lifetime: { maxHours: 168 },
        }),
      ]);
    });

    describe('plan-request', () => {
      it('plans as create would, with the approval paved.agents imposes, and writes nothing', async () => {
        const before = await rowCounts();
        const response = await invoke('plan-request', {
          type: 'fake',
          name: 'planned-db',
          owner: 'group:default/PAYMENTS-team',
          parameters: { environment: 'dev' },
        });
        expect(response.status).toBe(200);
        expect(response.body.output).toEqual({
          valid: true,
          errors: [],
          request: {
            type: 'fake',
            name: 'planned-db',
            owner: PAYMENTS,
            parameters: { environment: 'dev', sizeGb: 10 },
          },
          quota: { used: expect.any(Number), max: 10, cost: 1 },
          approval: {
            required: true,
            group: 'group:default/platform-team',
            reason: AGENT_REASON,
          },
        });
        expect(await rowCounts()).toEqual(before);
        expect(await knex(REQUESTS).where({ name: 'planned-db' })).toEqual([]);
      });

      it("names a policy rule's approval before the agent's", async () => {
        const { body } = await invoke('plan-request', {
          type: 'fake',
          name: 'prod-db',
          owner: PAYMENTS,
          parameters: { environment: 'production' },
        });
        expect(body.output.approval).toEqual({
          required: true,
          group: 'group:default/platform-team',
          reason: 'rule \'production\': parameters.environment is "production"',
        });
      });

      it('returns every problem with its field instead of throwing, and writes nothing', async () => {
        const before = await rowCounts();
        const response = await invoke('plan-request', {
          type: 'fake',
          name: 'reserved-db',
          owner: PAYMENTS,
          parameters: { environment: 'moon', sizeGb: 900 },
        });
        expect(response.status).toBe(200);
        expect(response.body.output.valid).toBe(false);
        expect(response.body.output.errors).toEqual(
          expect.arrayContaining([
            { field: 'name', message: "must not start with 'reserved-'" },
            {
              field: 'parameters.environment',
              message: 'must be one of "dev", "staging", "production"',
            },
            { field: 'parameters.sizeGb', message: 'must be <= 500' },
          ]),
        );
        const unknownType = await invoke('plan-request', {
          type: 'kafka',
          name: 'events',
          owner: PAYMENTS,
        });
        expect(unknownType.body.output.errors).toEqual([
          {
            field: 'type',
            message: expect.stringContaining("unknown resource type 'kafka'"),
          },
        ]);
        const otherTeam = await invoke(
          'plan-request',
          {
            type: 'fake',
            name: 'sneaky-db',
            owner: PAYMENTS,
            parameters: { environment: 'dev' },
          },
          DAVE,
        );
        expect(otherTeam.body.output).toMatchObject({
          valid: false,
          errors: [
            {
              field: 'owner',
              message: expect.stringContaining(
                "user:default/dave may not request fake 'sneaky-db'",
              ),
            },
          ],
          // Another team's figures are not the caller's business.
          quota: { used: null, max: null, cost: null },
        });
        expect(await rowCounts()).toEqual(before);
      });

      it('rejects input of the wrong shape naming the field', async () => {
        const response = await invoke('plan-request', {
          type: 'fake',
          owner: PAYMENTS,
        });
        expect(response.status).toBe(400);
        expect(response.body.error.name).toBe('InputError');
        expect(fieldsOf(response.body.error)).toEqual(['name']);
      });

      it('is the same operation as POST /plan, which answers 400 naming the field for a bad body', async () => {
        const body = {
          type: 'fake',
          name: 'rest-planned',
          owner: PAYMENTS,
          parameters: { environment: 'dev' },
        };
        const before = await rowCounts();
        const viaRest = await rest('post', '/plan').send(body);
        expect(viaRest.status).toBe(200);
        expect(specErrors('RequestPlan', viaRest.body)).toEqual([]);
        const viaAgent = await invoke('plan-request', body);
        // A person's plan has no agent approval; otherwise they agree.
        expect(viaRest.body).toEqual({
          ...viaAgent.body.output,
          approval: { required: false },
        });
        expect(await rowCounts()).toEqual(before);

        const bad = await rest('post', '/plan').send({
          ...body,
          name: 'Bad Name',
        });
        expect(bad.status).toBe(400);
        expect(bad.body.error.message).toMatch(/^Invalid request: name: /);
      });
    });

    describe('submit-request', () => {
      it('waits for a person under the default policy, naming the rule, and is idempotent', async () => {
        const input = {
          type: 'fake',
          name: 'agent-db',
          owner: PAYMENTS,
          parameters: { environment: 'dev' },
        };
        const first = await invoke('submit-request', input);
        expect(first.status).toBe(200);
        expect(first.body.output).toMatchObject({
          created: true,
          request: {
            name: 'agent-db',
            state: 'pending-approval',
            createdBy: BOB,
            approval: {
              group: 'group:default/platform-team',
              reason: AGENT_REASON,
            },
          },
          next: expect.stringContaining('group:default/platform-team'),
        });
        const again = await invoke('submit-request', input);
        expect(again.body.output).toMatchObject({
          created: false,
          request: { id: first.body.output.request.id },
        });
        // The agent's user may not approve what the agent asked for.
        const selfApproved = await rest(
          'post',
          `/requests/${first.body.output.request.id}/approve`,
        ).send({});
        expect(selfApproved.status).toBe(403);
        expect(audit.events).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              eventId: 'request-create',
              status: 'succeeded',
              meta: expect.objectContaining({
                actor: BOB,
                via: 'agent-action',
                requestId: first.body.output.request.id,
              }),
            }),
            expect.objectContaining({
              eventId: 'agent-action',
              meta: expect.objectContaining({
                actionId: 'provisioning:submit-request',
                decision: 'approval',
                rule: 'paved.agents.request',
              }),
            }),
          ]),
        );
      });

      it("refuses another team's owner with the permission framework's 403", async () => {
        const response = await invoke(
          'submit-request',
          {
            type: 'fake',
            name: 'not-mine-db',
            owner: PAYMENTS,
            parameters: { environment: 'dev' },
          },
          DAVE,
        );
        expect(response.status).toBe(403);
        expect(response.body.error).toMatchObject({
          name: 'NotAllowedError',
          message: expect.stringContaining('user:default/dave may not request'),
        });
      });

      it('rejects bad parameters naming the field', async () => {
        const response = await invoke('submit-request', {
          type: 'fake',
          name: 'bad-db',
          owner: PAYMENTS,
          parameters: { environment: 'dev', sizeGb: 0 },
        });
        expect(response.status).toBe(400);
        expect(response.body.error.message).toContain('parameters.sizeGb');
      });
    });

    describe('on a ready request', () => {
      let id: string;
      beforeAll(async () => {
        id = await readyRequest('ready-db');
      });

      it('gets its status, timeline, non-secret outputs and links', async () => {
        const response = await invoke('get-request', { requestId: id });
        expect(response.status).toBe(200);
        const rest_ = await rest('get', `/requests/${id}`);
        expect(response.body.output).toMatchObject({
          request: { id, state: 'ready', outputs: rest_.body.outputs },
          timeline: [
            expect.objectContaining({ type: 'requested' }),
            expect.objectContaining({ type: 'step-started' }),
            expect.objectContaining({ type: 'ready' }),
          ],
          operations: [expect.objectContaining({ kind: 'provision' })],
          status: null,
          links: {
            page: `https://portal.example.com/self-service/requests/${id}`,
            api: `/api/provisioning/requests/${id}`,
          },
        });
        // Read by anyone who may read it, as in the portal.
        expect(
          (await invoke('get-request', { requestId: id }, DAVE)).status,
        ).toBe(200);
        const missing = await invoke('get-request', { requestId: 'nope' });
        expect(missing.status).toBe(404);
        const bad = await invoke('get-request', {});
        expect(bad.status).toBe(400);
        expect(fieldsOf(bad.body.error)).toEqual(['requestId']);
      });

      it("lists the caller's teams' resources", async () => {
        const mine = await invoke('list-my-resources', {});
        expect(mine.status).toBe(200);
        expect(mine.body.output.owners).toEqual([PAYMENTS]);
        expect(mine.body.output.items.map((item: any) => item.id)).toContain(
          id,
        );
        const theirs = await invoke('list-my-resources', {}, DAVE);
        expect(
          theirs.body.output.items.map((item: any) => item.id),
        ).not.toContain(id);
        const bad = await invoke('list-my-resources', { states: ['gone'] });
        expect(bad.status).toBe(400);
        expect(fieldsOf(bad.body.error)).toEqual(['states.0']);
      });

      it('runs a day-2 action as a dry run by default, writing nothing', async () => {
        const before = await rowCounts();
        const response = await invoke('run-resource-action', {
          requestId: id,
          action: 'resize',
          input: { sizeGb: 20 },
        });
        expect(response.status).toBe(200);
        expect(response.body.output).toEqual({
          dryRun: true,
          plan: {
            valid: true,
            errors: [],
            input: { sizeGb: 20 },
            approval: {
              required: true,
              group: 'group:default/platform-team',
              reason:
                "paved.agents.request is 'approval': made by an agent, so a person approves it",
            },
            summary: expect.stringContaining('Would hold'),
          },
        });
        expect(await rowCounts()).toEqual(before);
        expect(fake.recorder.actions).toEqual([]);

        const invalid = await invoke('run-resource-action', {
          requestId: id,
          action: 'resize',
          input: { sizeGb: 9000 },
        });
        expect(invalid.body.output.plan).toMatchObject({
          valid: false,
          errors: [{ field: 'input.sizeGb', message: 'must be <= 500' }],
        });
        const otherTeam = await invoke(
          'run-resource-action',
          { requestId: id, action: 'resize', input: { sizeGb: 20 } },
          DAVE,
        );
        expect(otherTeam.status).toBe(403);
        expect(otherTeam.body.error.name).toBe('NotAllowedError');
      });

      it('holds a real run for a person under the default policy', async () => {
        const response = await invoke('run-resource-action', {
          requestId: id,
          action: 'resize',
          input: { sizeGb: 30 },
          dryRun: false,
          idempotencyKey: 'agent-resize-1',
        });
        expect(response.status).toBe(200);
        expect(response.body.output).toMatchObject({
          dryRun: false,
          created: true,
          operation: {
            action: 'resize',
            status: 'pending-approval',
            approval: { reason: AGENT_REASON },
          },
        });
        expect(fake.recorder.actions).toEqual([]);
        // A person decides; rejected, the request is free for the next tests.
        const rejected = await rest(
          'post',
          `/requests/${id}/reject`,
          'user:default/alice',
        ).send({ comment: 'not now' });
        expect(rejected.status).toBe(200);
      });

      it('says what a delete would do without doing it, and refuses the real one by default', async () => {
        const before = await rowCounts();
        const dry = await invoke('delete-resource', { requestId: id });
        expect(dry.status).toBe(200);
        expect(dry.body.output).toMatchObject({
          dryRun: true,
          outcome: 'destroy',
          deleted: [{ id, type: 'fake', name: 'ready-db', owner: PAYMENTS }],
          retained: expect.arrayContaining([
            expect.stringContaining("the request's record"),
          ]),
          realDelete: expect.stringContaining('paved.agents.destructive'),
        });
        const real = await invoke('delete-resource', {
          requestId: id,
          dryRun: false,
        });
        expect(real.status).toBe(403);
        expect(real.body.error.message).toContain(
          "Refused by paved.agents.destructive ('dry-run')",
        );
        expect(await rowCounts()).toEqual(before);
        expect(fake.recorder.destroys.get(id)).toBeUndefined();

        const otherTeam = await invoke(
          'delete-resource',
          { requestId: id },
          DAVE,
        );
        expect(otherTeam.status).toBe(403);
        expect(otherTeam.body.error.message).toContain(
          'user:default/dave may not delete',
        );
      });
    });

    describe('environments', () => {
      let sourceId: string;
      beforeAll(async () => {
        sourceId = await readyRequest('main-env', 'environment', {
          ttlHours: 24,
        });
      });

      it('extends an expiring resource when config allows it', async () => {
        const response = await invoke('extend-resource', {
          requestId: sourceId,
          hours: 48,
        });
        expect(response.status).toBe(200);
        expect(
          Date.parse(response.body.output.expiresAt) - Date.now(),
        ).toBeGreaterThan(47 * 3_600_000);
        const tooLong = await invoke('extend-resource', {
          requestId: sourceId,
          hours: 500,
        });
        expect(tooLong.status).toBe(400);
        expect(tooLong.body.error.message).toContain('hours');
        const otherTeam = await invoke(
          'extend-resource',
          { requestId: sourceId },
          DAVE,
        );
        expect(otherTeam.status).toBe(403);
      });

      it('plans a clone by default and submits it for approval when asked', async () => {
        const before = await rowCounts();
        const dry = await invoke('clone-environment', {
          source: 'main-env',
          name: 'main-env-copy',
        });
        expect(dry.status).toBe(200);
        expect(dry.body.output).toMatchObject({
          dryRun: true,
          plan: {
            valid: true,
            request: {
              type: 'environment',
              owner: PAYMENTS,
              parameters: { source: 'main-env', ttlHours: 72 },
            },
            approval: { required: true, reason: AGENT_REASON },
            lifetime: { ttlHours: 72, maxHours: 168 },
          },
        });
        expect(await rowCounts()).toEqual(before);

        const otherTeam = await invoke(
          'clone-environment',
          {
            source: 'main-env',
            name: 'stolen-copy',
            owner: 'group:default/orders-team',
          },
          DAVE,
        );
        expect(otherTeam.body.output.plan.errors).toEqual([
          {
            field: 'parameters.source',
            message: expect.stringContaining(
              "you may not use environment 'main-env'",
            ),
          },
        ]);

        const real = await invoke('clone-environment', {
          source: 'main-env',
          name: 'main-env-copy',
          dryRun: false,
        });
        expect(real.body.output).toMatchObject({
          dryRun: false,
          created: true,
          request: {
            state: 'pending-approval',
            approval: { reason: AGENT_REASON },
          },
        });
        const missing = await invoke('clone-environment', {
          source: 'nowhere',
          name: 'nowhere-copy',
        });
        expect(missing.status).toBe(400);
        expect(missing.body.error.message).toContain('source');
      });
    });
  },
);

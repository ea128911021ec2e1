/*
 * The incidents plugin's agent actions on the real IncidentService and store (on
 * each test database), with Paved's permission policy deciding by ownership: the
 * default agent policy refuses changes (and lets reads through), a policy that
 * allows them opens, notes, moves and resolves an incident (retries change
 * nothing), another team is refused by the permission framework, and bad input is
 * rejected naming the field.
 */
import {
  AuditorService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { Entity } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import {
  AgentActions,
  AgentPolicy,
  DEFAULT_AGENT_POLICY,
} from '@paved/agent-guardrails';
import { testDatabaseIds } from '@paved/test-utils';
import { Knex } from 'knex';
import { ownershipPermissions } from '../__testUtils__/ownershipPermissions';
import { DatabaseIncidentStore } from '../database/DatabaseIncidentStore';
import { IncidentService } from '../service/IncidentService';
import { registerIncidentsActions } from './registerIncidentsActions';

const BOB = mockCredentials.user('user:default/bob'); // payments-team, owns orders-api
const DAVE = mockCredentials.user('user:default/dave'); // orders-team

const MEMBERSHIPS: Record<string, string[]> = {
  'user:default/bob': ['group:default/payments-team'],
  'user:default/dave': ['group:default/orders-team'],
};

const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner },
  relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
});

const ENTITIES = [
  component('orders-api', 'payments-team'),
  component('search', 'orders-team'),
];
const ORDERS = 'component:default/orders-api';

const CHANGES: AgentPolicy = { ...DEFAULT_AGENT_POLICY, change: 'allow' };

/** The permissions service of the plugin's own tests: Paved's policy, by ownership. */
async function permissionsService(): Promise<PermissionsService> {
  const factory = ownershipPermissions({
    memberships: MEMBERSHIPS,
    entities: ENTITIES,
  }) as unknown as { factory(): Promise<PermissionsService> };
  return factory.factory();
}

/** The field names of an InputError from the registry's schema check. */
const fieldsOf = async (call: Promise<unknown>) => {
  const error = await call.then(
    () => undefined,
    e => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error.cause as any).issues.map((i: any) => i.path.join('.'));
};

const databases = TestDatabases.create({ ids: testDatabaseIds() });

describe.each(databases.eachSupportedId())(
  'the incidents agent actions on %p',
  databaseId => {
    let knex: Knex;
    let store: DatabaseIncidentStore;
    let permissions: PermissionsService;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseIncidentStore.create({
        database: mockServices.database({ knex }),
      });
      permissions = await permissionsService();
    });

    function setup(policy: AgentPolicy) {
      const audit: Array<{ eventId: string; status: string; meta: unknown }> =
        [];
      const auditor: AuditorService = {
        async createEvent({ eventId, meta }) {
          return {
            async success(o) {
              audit.push({
                eventId,
                status: 'succeeded',
                meta: { ...meta, ...o?.meta },
              });
            },
            async fail() {
              audit.push({ eventId, status: 'failed', meta });
            },
          };
        },
      };
      const notifier = { opened: jest.fn(), resolved: jest.fn() };
      const usage = { record: jest.fn(async () => {}) };
      const registry = actionsRegistryServiceMock();
      registerIncidentsActions({
        actions: new AgentActions({
          pluginId: 'incidents',
          registry,
          policy,
          auditor,
        }),
        incidents: new IncidentService({
          store,
          catalog: catalogServiceMock({ entities: ENTITIES }),
          permissions,
          notifier,
          runbookRuns: { runs: async () => [] },
          logger: mockServices.logger.mock(),
        }),
        permissions,
        auditor,
        usage,
      });
      // The mock registry files actions under the plugin id `test`.
      const invoke = async (
        name: string,
        input: JsonObject,
        credentials: BackstageCredentials = BOB,
      ) =>
        (await registry.invoke({ id: `test:${name}`, input, credentials }))
          .output as any;
      return { registry, invoke, audit, notifier, usage };
    }

    const counts = async () => ({
      incidents: Number((await knex('incidents').count({ n: '*' }))[0].n),
      events: Number((await knex('incident_events').count({ n: '*' }))[0].n),
    });

    it('registers six actions with truthful attributes', async () => {
      const { actions } = await setup(CHANGES).registry.list();
      expect(
        Object.fromEntries(actions.map(a => [a.name, a.attributes])),
      ).toEqual({
        'open-incident': {
          readOnly: false,
          destructive: false,
          idempotent: false,
        },
        'add-incident-note': {
          readOnly: false,
          destructive: false,
          idempotent: true,
        },
        'set-incident-status': {
          readOnly: false,
          destructive: false,
          idempotent: true,
        },
        'resolve-incident': {
          readOnly: false,
          destructive: false,
          idempotent: true,
        },
        'get-incident': {
          readOnly: true,
          destructive: false,
          idempotent: true,
        },
        'list-incidents': {
          readOnly: true,
          destructive: false,
          idempotent: true,
        },
      });
    });

    it('refuses changes under the default policy, naming the rule, and writes nothing', async () => {
      const { invoke, audit } = setup(DEFAULT_AGENT_POLICY);
      const before = await counts();
      const call = invoke('open-incident', {
        entityRef: ORDERS,
        severity: 'sev2',
        summary: 'Checkout fails with 502',
      });
      await expect(call).rejects.toThrow(NotAllowedError);
      await expect(call).rejects.toThrow(
        /^Refused by paved\.agents\.change \('deny'\): agents may not call incidents:open-incident\. A person must do it on the incident's page/,
      );
      for (const [name, input] of [
        ['add-incident-note', { incidentId: 'x', text: 'hi' }],
        ['set-incident-status', { incidentId: 'x', status: 'monitoring' }],
        ['resolve-incident', { incidentId: 'x', cause: 'y' }],
      ] as const) {
        await expect(invoke(name, input)).rejects.toThrow(
          'Refused by paved.agents.change',
        );
      }
      expect(await counts()).toEqual(before);
      expect(audit).toContainEqual({
        eventId: 'agent-action',
        status: 'failed',
        meta: expect.objectContaining({
          actionId: 'incidents:open-incident',
          actor: 'user:default/bob',
          decision: 'refuse',
          rule: 'paved.agents.change',
        }),
      });
      // Reads stay allowed.
      await expect(invoke('list-incidents', {})).resolves.toMatchObject({
        items: expect.any(Array),
      });
    });

    it('opens, notes, moves and resolves an incident; retries change nothing', async () => {
      const { invoke, audit, notifier, usage } = setup(CHANGES);
      const { incident } = await invoke('open-incident', {
        entityRef: ORDERS,
        severity: 'sev2',
        summary: 'Checkout fails with 502',
        description: 'Since the 10:00 deploy',
      });
      expect(incident).toMatchObject({
        entityRef: ORDERS,
        owner: 'group:default/payments-team',
        severity: 'sev2',
        status: 'investigating',
        openedBy: 'user:default/bob',
        link: `/incidents/${incident.id}`,
      });
      expect(notifier.opened).toHaveBeenCalledTimes(1);
      const incidentId = incident.id;

      const note = { incidentId, text: 'Rolled back the deploy' };
      const noted = await invoke('add-incident-note', note);
      expect(noted.added).toBe(true);
      expect(noted.incident.timeline.map((e: any) => e.type)).toEqual([
        'opened',
        'note',
      ]);
      const again = await invoke('add-incident-note', note);
      expect(again.added).toBe(false);
      expect(again.incident.timeline).toHaveLength(2);

      const status = { incidentId, status: 'monitoring' };
      await expect(
        invoke('set-incident-status', status),
      ).resolves.toMatchObject({
        changed: true,
        incident: { status: 'monitoring' },
      });
      await expect(
        invoke('set-incident-status', status),
      ).resolves.toMatchObject({
        changed: false,
        incident: { status: 'monitoring' },
      });

      const resolution = { incidentId, cause: 'A bad pool setting' };
      await expect(
        invoke('resolve-incident', resolution),
      ).resolves.toMatchObject({
        resolved: true,
        incident: {
          status: 'resolved',
          resolvedBy: 'user:default/bob',
          cause: 'A bad pool setting',
          timeToRestoreMs: expect.any(Number),
        },
      });
      await expect(
        invoke('resolve-incident', resolution),
      ).resolves.toMatchObject({ resolved: false });
      expect(notifier.resolved).toHaveBeenCalledTimes(1);
      // A resolved incident's status no longer changes: the service says why.
      await expect(
        invoke('set-incident-status', { incidentId, status: 'identified' }),
      ).rejects.toThrow(/status: incident .* is resolved/);

      const { incident: read } = await invoke('get-incident', { incidentId });
      expect(read.timeline.map((e: any) => e.type)).toEqual([
        'opened',
        'note',
        'status',
        'resolved',
      ]);
      expect(read.timeline[1]).toEqual({
        type: 'note',
        message: 'Rolled back the deploy',
        actor: 'user:default/bob',
        at: expect.any(String),
      });

      // Each change is audited and counted like the REST API's, marked as an agent's.
      expect(
        audit
          .filter(e => e.eventId.startsWith('incident-'))
          .map(e => [e.eventId, e.status, (e.meta as any).via]),
      ).toEqual([
        ['incident-open', 'succeeded', 'agent'],
        ['incident-note', 'succeeded', 'agent'],
        ['incident-status', 'succeeded', 'agent'],
        ['incident-resolve', 'succeeded', 'agent'],
        ['incident-resolve', 'succeeded', 'agent'],
        ['incident-status', 'failed', 'agent'],
      ]);
      expect(usage.record).toHaveBeenCalledWith(
        expect.objectContaining({
          action: 'incident-open',
          outcome: 'succeeded',
          actor: 'user:default/bob',
          subject: ORDERS,
          team: 'group:default/payments-team',
          attributes: { severity: 'sev2', via: 'agent' },
        }),
      );
    });

    it('lists incidents by component, owner and status', async () => {
      const { invoke } = setup(CHANGES);
      const { incident: open } = await invoke('open-incident', {
        entityRef: ORDERS,
        severity: 'sev3',
        summary: 'Slow search of orders',
      });
      const byComponent = await invoke('list-incidents', {
        entityRef: ORDERS,
        status: ['open'],
      });
      expect(byComponent.items.map((i: any) => i.id)).toContain(open.id);
      expect(
        byComponent.items.every(
          (i: any) => i.entityRef === ORDERS && i.status !== 'resolved',
        ),
      ).toBe(true);
      const resolved = await invoke('list-incidents', {
        owner: 'group:default/payments-team',
        status: ['resolved'],
      });
      expect(resolved.items.length).toBeGreaterThan(0);
      expect(resolved.items.map((i: any) => i.id)).not.toContain(open.id);
      const otherTeam = await invoke('list-incidents', {
        owner: 'group:default/orders-team',
      });
      expect(otherTeam).toEqual({ items: [], totalCount: 0 });
      const page = await invoke('list-incidents', { limit: 1 });
      expect(page.items).toHaveLength(1);
      expect(page.totalCount).toBeGreaterThan(1);
    });

    it("refuses another team's incidents through the permission framework", async () => {
      const { invoke } = setup(CHANGES);
      const { incident } = await invoke('open-incident', {
        entityRef: ORDERS,
        severity: 'sev2',
        summary: 'Payments time out',
      });
      const before = await counts();
      const refusal =
        /user:default\/dave may not (open|update) incidents on component:default\/orders-api/;
      const calls: Array<[string, JsonObject]> = [
        [
          'open-incident',
          { entityRef: ORDERS, severity: 'sev1', summary: 'Down' },
        ],
        ['add-incident-note', { incidentId: incident.id, text: 'Hi' }],
        // Already its status: refused all the same, though it would change nothing.
        [
          'set-incident-status',
          { incidentId: incident.id, status: 'investigating' },
        ],
        [
          'set-incident-status',
          { incidentId: incident.id, status: 'identified' },
        ],
        ['resolve-incident', { incidentId: incident.id, cause: 'x' }],
      ];
      for (const [name, input] of calls) {
        const call = invoke(name, input, DAVE);
        await expect(call).rejects.toThrow(NotAllowedError);
        await expect(call).rejects.toThrow(refusal);
      }
      expect(await counts()).toEqual(before);
      // Reading it is allowed, as in the portal.
      await expect(
        invoke('get-incident', { incidentId: incident.id }, DAVE),
      ).resolves.toMatchObject({ incident: { id: incident.id } });
    });

    it('rejects bad input naming the field', async () => {
      const { invoke } = setup(CHANGES);
      const before = await counts();
      expect(
        await fieldsOf(
          invoke('open-incident', {
            entityRef: ORDERS,
            severity: 'sev9',
            summary: 'x',
          }),
        ),
      ).toEqual(['severity']);
      expect(
        await fieldsOf(
          invoke('open-incident', { entityRef: ORDERS, severity: 'sev1' }),
        ),
      ).toEqual(['summary']);
      expect(
        await fieldsOf(
          invoke('set-incident-status', {
            incidentId: 'x',
            status: 'resolved',
          }),
        ),
      ).toEqual(['status']);
      expect(
        await fieldsOf(invoke('resolve-incident', { incidentId: 'x' })),
      ).toEqual(['cause']);
      expect(await fieldsOf(invoke('get-incident', {}))).toEqual([
        'incidentId',
      ]);
      expect(
        await fieldsOf(
          invoke('list-incidents', { status: ['closed'], limit: 0 }),
        ),
      ).toEqual(['status.0', 'limit']);
      // What only the service knows: the entity ref's form, the entity itself.
      await expect(
        invoke('open-incident', {
          entityRef: 'orders api',
          severity: 'sev1',
          summary: 'x',
        }),
      ).rejects.toThrow(/^Invalid incident: entityRef: must be an entity ref/);
      await expect(
        invoke('open-incident', {
          entityRef: 'component:default/nope',
          severity: 'sev1',
          summary: 'x',
        }),
      ).rejects.toThrow(
        "entityRef: there is no entity 'component:default/nope'",
      );
      await expect(
        invoke('get-incident', { incidentId: 'nope' }),
      ).rejects.toThrow("There is no incident 'nope'");
      expect(await counts()).toEqual(before);
    });
  },
);

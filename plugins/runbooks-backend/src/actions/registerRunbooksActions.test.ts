/*
 * The runbooks plugin's agent actions on the real RunbookService, with the catalog
 * mocked, the permission decision of Paved's policy (owners run runbooks) and a
 * scaffolder that records what it is asked to start: the runbooks of a component
 * with their inputs, dry runs that start nothing, the confirmation a real run
 * needs, the agent policy's refusal and another team's refusal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  AuditorService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { mockCredentials } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import {
  AgentActions,
  AgentPolicy,
  DEFAULT_AGENT_POLICY,
} from '@paved/agent-guardrails';
import {
  runbookRunPermission,
  ScaffolderTaskSummary,
} from '@paved/plugin-runbooks-common';
import { RunbookService } from '../service/RunbookService';
import { ScaffolderClient } from '../service/ScaffolderClient';
import { registerRunbooksActions } from './registerRunbooksActions';

const TEMPLATES = path.resolve(__dirname, '../../../../templates/runbooks');
const readRunbook = (name: string): Entity => {
  const template = parse(
    fs.readFileSync(path.join(TEMPLATES, name, 'template.yaml'), 'utf8'),
  );
  template.metadata.namespace = 'default';
  return template;
};

const MEMBERS: Record<string, string[]> = {
  'user:default/bob': ['group:default/checkout-team'],
  'user:default/eve': ['group:default/payments-team'],
};

const component = (name: string, type: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': name },
  },
  spec: { type, owner: `group:default/${owner}`, lifecycle: 'production' },
  relations: [{ type: 'ownedBy', targetRef: `group:default/${owner}` }],
});

const ENTITIES = [
  component('orders-api', 'service', 'checkout-team'),
  component('payments-api', 'service', 'payments-team'),
  readRunbook('restart-deployment'),
  readRunbook('scale-deployment'),
  readRunbook('collect-diagnostics'),
];

/** Paved's decision: the owning team's members run runbooks on an entity. */
const permissions: PermissionsService = {
  async authorize(requests: any[], options: any) {
    const ref = options.credentials.principal.userEntityRef;
    return requests.map(r => {
      const entity = ENTITIES.find(
        e => `component:default/${e.metadata.name}` === r.resourceRef,
      );
      const owner = entity?.relations?.[0]?.targetRef ?? '';
      return {
        result:
          r.permission.name !== runbookRunPermission.name ||
          (MEMBERS[ref] ?? []).includes(owner)
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      };
    });
  },
  async authorizeConditional() {
    throw new Error('not used');
  },
} as PermissionsService;

const ALLOW_ALL: AgentPolicy = {
  read: 'allow',
  change: 'allow',
  request: 'allow',
  destructive: 'allow',
  actions: {},
};

const BOB = mockCredentials.user('user:default/bob');
const EVE = mockCredentials.user('user:default/eve');
const ORDERS = 'component:default/orders-api';

function setup(policy: AgentPolicy = ALLOW_ALL) {
  const started: Array<{ templateRef: string; values: JsonObject }> = [];
  const running: ScaffolderTaskSummary[] = [];
  const scaffolder = {
    async listTasks() {
      return running;
    },
    async createTask(
      _credentials: BackstageCredentials,
      templateRef: string,
      values: JsonObject,
    ) {
      started.push({ templateRef, values });
      return `task-${started.length}`;
    },
  } as unknown as ScaffolderClient;
  const audit: Array<{ eventId: string; status: string; meta: unknown }> = [];
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
  const usage = { record: jest.fn(async () => {}) };
  const catalog = catalogServiceMock({ entities: ENTITIES });
  const registry = actionsRegistryServiceMock();
  registerRunbooksActions({
    actions: new AgentActions({
      pluginId: 'runbooks',
      registry,
      policy,
      auditor,
    }),
    runbooks: new RunbookService({ catalog, permissions, scaffolder }),
    catalog,
    permissions,
    scaffolder,
    auditor,
    usage,
  });
  // The mock registry files actions under the plugin id `test`.
  const invoke = (
    name: string,
    input: JsonObject,
    credentials: BackstageCredentials = BOB,
  ) => registry.invoke({ id: `test:${name}`, input, credentials });
  return { registry, invoke, started, running, audit, usage };
}

/** The field names of the InputError of the registry's schema check. */
const fieldsOf = async (call: Promise<unknown>) => {
  const error = await call.then(
    () => undefined,
    e => e,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error.cause as any).issues.map((i: any) => i.path.join('.'));
};

describe('the runbooks agent actions', () => {
  it('registers both with truthful attributes', async () => {
    const { registry } = setup();
    const { actions } = await registry.list();
    expect(
      actions.map(a => ({ name: a.name, attributes: a.attributes })),
    ).toEqual([
      {
        name: 'list-runbooks',
        attributes: { readOnly: true, destructive: false, idempotent: true },
      },
      {
        name: 'run-runbook',
        attributes: { readOnly: false, destructive: true, idempotent: false },
      },
    ]);
    const run = actions.find(a => a.name === 'run-runbook')!;
    expect((run.schema.input as any).properties.dryRun).toMatchObject({
      type: 'boolean',
      default: true,
    });
  });

  it('lists the runbooks of a component with their inputs and confirmation', async () => {
    const { invoke } = setup(DEFAULT_AGENT_POLICY);
    const { output } = (await invoke('list-runbooks', {
      entityRef: 'component:orders-api',
    })) as { output: any };
    expect(output.entityRef).toBe(ORDERS);
    expect(output.runbooks.map((r: any) => r.name)).toEqual([
      'collect-diagnostics',
      'restart-deployment',
      'scale-deployment',
    ]);
    const scale = output.runbooks[2];
    expect(scale).toMatchObject({
      templateRef: 'template:default/scale-deployment',
      destructive: true,
      inputs: [
        {
          name: 'replicas',
          title: 'Replicas',
          type: 'integer',
          required: true,
          description: expect.any(String),
        },
        { name: 'deployment', type: 'string', required: false },
      ],
      confirmation: {
        field: 'confirm',
        value: true,
        title: 'I understand what this does',
        description: expect.stringContaining('scaling down stops pods'),
      },
    });
    expect(output.runbooks[0]).toMatchObject({
      destructive: false,
      inputs: [],
    });
    expect(output.runbooks[0].confirmation).toBeUndefined();
  });

  it('rejects bad input naming the field', async () => {
    const { invoke } = setup();
    expect(await fieldsOf(invoke('list-runbooks', {}))).toEqual(['entityRef']);
    expect(
      await fieldsOf(
        invoke('run-runbook', {
          entityRef: ORDERS,
          runbook: 'scale-deployment',
          dryRun: 'no',
        }),
      ),
    ).toEqual(['dryRun']);
    expect(
      await fieldsOf(
        invoke('run-runbook', {
          entityRef: ORDERS,
          runbook: 'scale-deployment',
          inputs: 3,
        }),
      ),
    ).toEqual(['inputs']);
    // An entity ref that does not parse: the service's check names it.
    await expect(
      invoke('list-runbooks', { entityRef: 'orders-api' }),
    ).rejects.toThrow("entityRef 'orders-api' is not an entity reference");
    // The confirmation is run-runbook's own field, not one of the inputs.
    await expect(
      invoke('run-runbook', {
        entityRef: ORDERS,
        runbook: 'scale-deployment',
        inputs: { replicas: 2, confirm: true },
      }),
    ).rejects.toThrow('inputs.confirm: pass confirm as');
  });

  it('dry-runs by default: says what would run and starts nothing', async () => {
    const { invoke, started } = setup(DEFAULT_AGENT_POLICY);
    const { output } = (await invoke('run-runbook', {
      entityRef: ORDERS,
      runbook: 'template:default/scale-deployment',
      inputs: { replicas: 3 },
    })) as { output: any };
    expect(output).toMatchObject({
      dryRun: true,
      started: false,
      runbook: { templateRef: 'template:default/scale-deployment' },
      entityRef: ORDERS,
      owner: 'group:default/checkout-team',
      values: { replicas: 3, entityRef: ORDERS },
      confirmation: { field: 'confirm', value: true, given: false },
      problems: [],
      summary: expect.stringContaining('with confirm: true'),
    });
    expect(output.steps.map((s: any) => s.action)).toEqual([
      'paved:runbook:authorize',
      'paved:kubernetes:scale',
    ]);
    expect(output.taskId).toBeUndefined();

    // Bad inputs are reported by field, not thrown, and still nothing starts.
    const bad = (await invoke('run-runbook', {
      entityRef: ORDERS,
      runbook: 'scale-deployment',
      inputs: { replicas: 0, replica: 2 },
    })) as { output: any };
    expect(bad.output.problems).toEqual([
      {
        field: 'inputs.replica',
        message: expect.stringContaining('is not an input of this runbook'),
      },
      { field: 'inputs.replicas', message: expect.stringContaining('1') },
    ]);
    const missing = (await invoke('run-runbook', {
      entityRef: ORDERS,
      runbook: 'scale-deployment',
    })) as { output: any };
    expect(missing.output.problems).toEqual([
      { field: 'inputs.replicas', message: 'is required' },
    ]);
    expect(started).toEqual([]);
  });

  it('refuses a real run under the default policy, naming the rule', async () => {
    const { invoke, started, audit } = setup(DEFAULT_AGENT_POLICY);
    const call = invoke('run-runbook', {
      entityRef: ORDERS,
      runbook: 'restart-deployment',
      dryRun: false,
      confirm: true,
    });
    await expect(call).rejects.toThrow(NotAllowedError);
    await expect(call).rejects.toThrow(
      /Refused by paved\.agents\.destructive \('dry-run'\).*Runbooks tab/,
    );
    expect(started).toEqual([]);
    expect(audit).toContainEqual(
      expect.objectContaining({
        eventId: 'agent-action',
        status: 'failed',
        meta: expect.objectContaining({
          actionId: 'runbooks:run-runbook',
          rule: 'paved.agents.destructive',
        }),
      }),
    );
  });

  it('runs for real only with the confirmation the form requires', async () => {
    const { invoke, started, audit, usage } = setup();
    await expect(
      invoke('run-runbook', {
        entityRef: ORDERS,
        runbook: 'scale-deployment',
        inputs: { replicas: 2 },
        dryRun: false,
      }),
    ).rejects.toThrow(
      /^confirm: .*I understand what this does.*confirm: true$/,
    );
    await expect(
      invoke('run-runbook', {
        entityRef: ORDERS,
        runbook: 'scale-deployment',
        inputs: { replicas: 'two' },
        dryRun: false,
        confirm: true,
      }),
    ).rejects.toThrow(/inputs\.replicas: is not of a type/);
    expect(started).toEqual([]);

    const { output } = (await invoke('run-runbook', {
      entityRef: ORDERS,
      runbook: 'scale-deployment',
      inputs: { replicas: 2 },
      dryRun: false,
      confirm: true,
    })) as { output: any };
    expect(output).toMatchObject({
      dryRun: false,
      started: true,
      taskId: 'task-1',
      link: '/create/tasks/task-1',
      values: { replicas: 2, entityRef: ORDERS, confirm: true },
    });
    expect(started).toEqual([
      {
        templateRef: 'template:default/scale-deployment',
        values: { replicas: 2, entityRef: ORDERS, confirm: true },
      },
    ]);
    expect(audit).toContainEqual({
      eventId: 'runbook-run',
      status: 'succeeded',
      meta: {
        templateRef: 'template:default/scale-deployment',
        entityRef: ORDERS,
        actor: 'user:default/bob',
        via: 'agent',
        taskId: 'task-1',
      },
    });
    expect(usage.record).toHaveBeenCalledWith(
      expect.objectContaining({
        action: 'runbook-run',
        outcome: 'succeeded',
        actor: 'user:default/bob',
        team: 'group:default/checkout-team',
      }),
    );

    // A runbook without a confirmation runs without one.
    const diagnostics = (await invoke('run-runbook', {
      entityRef: ORDERS,
      runbook: 'collect-diagnostics',
      dryRun: false,
    })) as { output: any };
    expect(diagnostics.output).toMatchObject({
      started: true,
      taskId: 'task-2',
    });
  });

  it("refuses another team's component, dry run or not", async () => {
    const { invoke, started } = setup();
    for (const dryRun of [true, false]) {
      const call = invoke(
        'run-runbook',
        {
          entityRef: ORDERS,
          runbook: 'restart-deployment',
          dryRun,
          confirm: true,
        },
        EVE,
      );
      await expect(call).rejects.toThrow(NotAllowedError);
      await expect(call).rejects.toThrow(
        'You may not run runbooks on component:default/orders-api: only its owner group:default/checkout-team',
      );
    }
    expect(started).toEqual([]);
  });

  it('reports a run already under way, and refuses non-user callers', async () => {
    const { invoke, running, started } = setup();
    running.push({
      id: 'busy',
      status: 'processing',
      createdAt: new Date().toISOString(),
      spec: {
        parameters: { entityRef: ORDERS },
        templateInfo: { entityRef: 'template:default/restart-deployment' },
      },
    });
    const { output } = (await invoke('run-runbook', {
      entityRef: ORDERS,
      runbook: 'restart-deployment',
    })) as { output: any };
    expect(output.alreadyRunning).toEqual({
      taskId: 'busy',
      link: '/create/tasks/busy',
    });
    expect(output.problems).toEqual([
      { field: 'runbook', message: expect.stringContaining('already running') },
    ]);
    await expect(
      invoke('run-runbook', {
        entityRef: ORDERS,
        runbook: 'restart-deployment',
        dryRun: false,
        confirm: true,
      }),
    ).rejects.toThrow('already running');
    await expect(
      invoke(
        'list-runbooks',
        { entityRef: ORDERS },
        mockCredentials.service('external:ci'),
      ),
    ).rejects.toThrow(NotAllowedError);
    expect(started).toEqual([]);
  });
});

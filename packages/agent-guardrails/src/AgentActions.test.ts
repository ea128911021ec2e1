import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AgentActions, AgentCallContext, principalRef } from './AgentActions';
import { AgentActionKind, AgentPolicy } from './AgentPolicy';

const defaults: AgentPolicy = {
  read: 'allow',
  change: 'deny',
  request: 'approval',
  destructive: 'dry-run',
  actions: {},
};

function setup(policy: AgentPolicy = defaults) {
  // The mock registry names every action `test:<name>`, so the plugin is `test`.
  const registry = actionsRegistryServiceMock();
  const success = jest.fn(async () => {});
  const fail = jest.fn(async () => {});
  const auditor = mockServices.auditor.mock();
  auditor.createEvent.mockResolvedValue({ success, fail });
  const actions = new AgentActions({
    pluginId: 'test',
    registry,
    policy,
    auditor,
  });
  const ran = jest.fn();
  const register = (
    name: string,
    kind: AgentActionKind,
    extra: {
      approvable?: boolean;
      dryRunField?: string;
      idempotent?: boolean;
    } = {},
  ) =>
    actions.register({
      name,
      title: name,
      description: `The ${kind} action ${name}`,
      kind,
      idempotent: extra.idempotent ?? false,
      approvable: extra.approvable,
      dryRunField: extra.dryRunField,
      personInstead: 'press the button in the portal',
      schema: {
        input: z =>
          z.object({
            name: z.string().describe('What to act on'),
            dryRun: z
              .boolean()
              .default(true)
              .describe('Only say what would happen'),
            preview: z.boolean().optional().describe('Another dry-run field'),
          }),
        output: z =>
          z.object({
            done: z.boolean().describe('Whether it ran'),
            approvalReason: z
              .string()
              .optional()
              .describe('Why it waits for an approval'),
          }),
      },
      action: async ({ input, credentials, agent }) => {
        ran({ input, credentials, agent });
        return {
          output: { done: true, approvalReason: agent.approval?.reason },
        };
      },
    });
  return { registry, auditor, success, fail, ran, register };
}

const carla = mockCredentials.user('user:default/carla');

describe('AgentActions', () => {
  it('sets the attributes from the kind', async () => {
    const { registry, register } = setup();
    register('get', 'read', { idempotent: true });
    register('note', 'change', { idempotent: false });
    register('submit', 'request', { idempotent: true, approvable: true });
    register('delete', 'destructive', { idempotent: true });

    const { actions } = await registry.list();
    const attributes = Object.fromEntries(
      actions.map(a => [a.name, a.attributes]),
    );
    expect(attributes).toEqual({
      get: { readOnly: true, destructive: false, idempotent: true },
      note: { readOnly: false, destructive: false, idempotent: false },
      submit: { readOnly: false, destructive: false, idempotent: true },
      delete: { readOnly: false, destructive: true, idempotent: true },
    });
    // The registry turns the zod schema into the JSON Schema an agent reads.
    expect(actions[0].schema.input).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string', description: 'What to act on' } },
      required: ['name'],
    });
  });

  it('runs an allowed call as the caller, and audits it', async () => {
    const { registry, register, auditor, success, ran } = setup();
    register('get', 'read');

    await expect(
      registry.invoke({
        id: 'test:get',
        input: { name: 'db' },
        credentials: carla,
      }),
    ).resolves.toEqual({ output: { done: true } });

    expect(ran).toHaveBeenCalledWith({
      input: { name: 'db', dryRun: true },
      credentials: carla,
      agent: {},
    });
    expect(auditor.createEvent).toHaveBeenCalledWith({
      eventId: 'agent-action',
      severityLevel: 'low',
      meta: {
        actionId: 'test:get',
        kind: 'read',
        actor: 'user:default/carla',
        decision: 'allow',
        dryRun: true,
      },
    });
    expect(success).toHaveBeenCalledTimes(1);
  });

  it('refuses before the action runs: a 403 naming the rule, audited as failed', async () => {
    const { registry, register, auditor, fail, success, ran } = setup();
    register('note', 'change');

    const error = await registry
      .invoke({ id: 'test:note', input: { name: 'x' }, credentials: carla })
      .catch(e => e);

    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toBe(
      "Refused by paved.agents.change ('deny'): agents may not call test:note. A person must press the button in the portal, or a platform admin must change paved.agents.change in the portal's config.",
    );
    expect(ran).not.toHaveBeenCalled();
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'agent-action',
        severityLevel: 'medium',
        meta: expect.objectContaining({
          decision: 'refuse',
          rule: 'paved.agents.change',
        }),
      }),
    );
    expect(fail).toHaveBeenCalledWith({ error });
    expect(success).not.toHaveBeenCalled();
  });

  it('lets destructive actions run only as dry runs by default', async () => {
    const { registry, register, ran } = setup();
    register('delete', 'destructive');

    // dryRun defaults to true in the schema: the registry fills it in first.
    await expect(
      registry.invoke({
        id: 'test:delete',
        input: { name: 'x' },
        credentials: carla,
      }),
    ).resolves.toEqual({ output: { done: true } });
    const error = await registry
      .invoke({
        id: 'test:delete',
        input: { name: 'x', dryRun: false },
        credentials: carla,
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toContain(
      "Refused by paved.agents.destructive ('dry-run')",
    );
    expect(error.message).toContain('call it again with dryRun: true');
    expect(ran).toHaveBeenCalledTimes(1);
  });

  it('reads the dry run from the field the action names', async () => {
    const { registry, register, ran } = setup();
    register('delete', 'destructive', { dryRunField: 'preview' });

    const error = await registry
      .invoke({ id: 'test:delete', input: { name: 'x' }, credentials: carla })
      .catch(e => e);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toContain('call it again with preview: true');
    await registry.invoke({
      id: 'test:delete',
      input: { name: 'x', preview: true },
      credentials: carla,
    });
    expect(ran).toHaveBeenCalledTimes(1);
  });

  it('passes the approval the policy requires to the action', async () => {
    const { registry, register, auditor, ran } = setup({
      ...defaults,
      approvers: 'group:default/platform-team',
    });
    register('submit', 'request', { approvable: true });

    const { output } = await registry.invoke({
      id: 'test:submit',
      input: { name: 'db', dryRun: false },
      credentials: carla,
    });

    const approval: AgentCallContext['approval'] = {
      rule: 'paved.agents.request',
      reason:
        "paved.agents.request is 'approval': made by an agent, so a person approves it",
      approvers: 'group:default/platform-team',
    };
    expect(ran).toHaveBeenCalledWith(
      expect.objectContaining({ agent: { approval } }),
    );
    expect(output).toEqual({ done: true, approvalReason: approval!.reason });
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        meta: expect.objectContaining({
          decision: 'approval',
          rule: 'paved.agents.request',
          dryRun: false,
        }),
      }),
    );
  });

  it('refuses a request without an approval step under approval', async () => {
    const { registry, register, ran } = setup();
    register('extend', 'request');

    const error = await registry
      .invoke({
        id: 'test:extend',
        input: { name: 'db', dryRun: false },
        credentials: carla,
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toContain('test:extend has no approval step');
    expect(ran).not.toHaveBeenCalled();
  });

  it('follows an override for the action id', async () => {
    const { registry, register, ran } = setup({
      ...defaults,
      actions: { 'test:note': 'allow', 'test:get': 'deny' },
    });
    register('note', 'change');
    register('get', 'read');

    await registry.invoke({
      id: 'test:note',
      input: { name: 'x' },
      credentials: carla,
    });
    const error = await registry
      .invoke({ id: 'test:get', input: { name: 'x' }, credentials: carla })
      .catch(e => e);
    expect(error.message).toContain(
      "Refused by paved.agents.actions.test:get ('deny')",
    );
    expect(ran).toHaveBeenCalledTimes(1);
  });

  it("audits the action's own failure, and rethrows it", async () => {
    const registry = actionsRegistryServiceMock();
    const auditor = mockServices.auditor.mock();
    const fail = jest.fn(async () => {});
    auditor.createEvent.mockResolvedValue({ success: jest.fn(), fail });
    new AgentActions({
      pluginId: 'test',
      registry,
      policy: defaults,
      auditor,
    }).register({
      name: 'get',
      title: 'Get',
      description: 'Gets',
      kind: 'read',
      idempotent: true,
      schema: {
        input: z => z.object({}),
        output: z => z.object({}),
      },
      action: async () => {
        throw new InputError('no such thing');
      },
    });

    const error = await registry
      .invoke({ id: 'test:get', input: {}, credentials: carla })
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(fail).toHaveBeenCalledWith({ error });
  });

  it('leaves bad input to the registry, which names the field', async () => {
    const { registry, register, ran, auditor } = setup();
    register('get', 'read');

    const error = await registry
      .invoke({ id: 'test:get', input: { name: 3 }, credentials: carla })
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(String(error.cause ?? error.message)).toContain('name');
    expect(ran).not.toHaveBeenCalled();
    expect(auditor.createEvent).not.toHaveBeenCalled();
  });
});

describe('principalRef', () => {
  it('names users by entity ref, services by subject', () => {
    expect(principalRef(carla)).toBe('user:default/carla');
    expect(principalRef(mockCredentials.service('plugin:catalog'))).toBe(
      'plugin:catalog',
    );
    expect(principalRef(mockCredentials.none())).toBe('none');
  });
});

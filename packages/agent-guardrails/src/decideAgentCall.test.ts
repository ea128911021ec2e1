import { AgentActionKind, AgentMode, AgentPolicy } from './AgentPolicy';
import { decideAgentCall } from './decideAgentCall';

const policy = (overrides: Partial<AgentPolicy> = {}): AgentPolicy => ({
  read: 'allow',
  change: 'deny',
  request: 'approval',
  destructive: 'dry-run',
  actions: {},
  ...overrides,
});

/** The policy that puts `mode` on `kind` (modes a kind cannot take come in as overrides). */
const withMode = (kind: AgentActionKind, mode: AgentMode) =>
  policy({ actions: { [`test:${kind}`]: mode } });

describe('decideAgentCall', () => {
  // Every kind × mode, for a call that does something, one that asks for a dry run
  // and one that does not say; approvable actions only where approval is possible.
  const table: Array<
    [
      AgentActionKind,
      AgentMode,
      boolean | undefined,
      boolean,
      'allow' | 'approval' | 'refuse',
    ]
  > = [
    // kind, mode, dryRun, approvable, outcome
    ['read', 'allow', undefined, false, 'allow'],
    ['read', 'deny', undefined, false, 'refuse'],
    ['read', 'dry-run', undefined, false, 'allow'], // a read is its own dry run
    ['read', 'dry-run', false, false, 'refuse'],
    ['read', 'approval', undefined, false, 'refuse'],
    ['change', 'allow', undefined, false, 'allow'],
    ['change', 'deny', undefined, false, 'refuse'],
    ['change', 'deny', true, false, 'refuse'],
    ['change', 'dry-run', undefined, false, 'refuse'],
    ['change', 'dry-run', true, false, 'allow'],
    ['change', 'approval', undefined, false, 'refuse'],
    ['request', 'allow', undefined, true, 'allow'],
    ['request', 'allow', false, false, 'allow'],
    ['request', 'deny', undefined, true, 'refuse'],
    ['request', 'deny', true, true, 'refuse'],
    ['request', 'approval', undefined, true, 'approval'],
    ['request', 'approval', false, true, 'approval'],
    ['request', 'approval', true, true, 'allow'], // a dry run needs no approval
    ['request', 'approval', true, false, 'allow'],
    ['request', 'approval', undefined, false, 'refuse'], // no approval step
    ['request', 'dry-run', false, true, 'refuse'],
    ['request', 'dry-run', true, true, 'allow'],
    ['destructive', 'allow', false, false, 'allow'],
    ['destructive', 'deny', true, false, 'refuse'],
    ['destructive', 'deny', false, false, 'refuse'],
    ['destructive', 'dry-run', true, false, 'allow'],
    ['destructive', 'dry-run', false, false, 'refuse'],
    ['destructive', 'dry-run', undefined, false, 'refuse'],
    ['destructive', 'approval', false, true, 'approval'],
    ['destructive', 'approval', false, false, 'refuse'],
  ];

  it.each(table)(
    '%s under %s (dryRun %s, approvable %s): %s',
    (kind, mode, dryRun, approvable, outcome) => {
      const decision = decideAgentCall(withMode(kind, mode), {
        actionId: `test:${kind}`,
        kind,
        dryRun,
        approvable,
      });
      const rule = `paved.agents.actions.test:${kind}`;
      expect(decision).toMatchObject({
        outcome,
        ...(outcome !== 'allow' && { rule }),
      });
      expect('rule' in decision).toBe(outcome !== 'allow');
    },
  );

  it('applies the rule of the kind without an override', () => {
    const defaults = policy();
    expect(
      decideAgentCall(defaults, { actionId: 'p:a', kind: 'read' }),
    ).toEqual({ outcome: 'allow' });
    expect(
      decideAgentCall(defaults, { actionId: 'p:a', kind: 'change' }),
    ).toMatchObject({ outcome: 'refuse', rule: 'paved.agents.change' });
    expect(
      decideAgentCall(defaults, {
        actionId: 'p:a',
        kind: 'request',
        approvable: true,
      }),
    ).toEqual({
      outcome: 'approval',
      rule: 'paved.agents.request',
      reason:
        "paved.agents.request is 'approval': made by an agent, so a person approves it",
    });
    expect(
      decideAgentCall(defaults, {
        actionId: 'p:a',
        kind: 'destructive',
        dryRun: true,
      }),
    ).toEqual({ outcome: 'allow' });
    expect(
      decideAgentCall(defaults, {
        actionId: 'p:a',
        kind: 'destructive',
        dryRun: false,
      }),
    ).toMatchObject({ outcome: 'refuse', rule: 'paved.agents.destructive' });
  });

  it('lets an override win over the rule of the kind, both ways', () => {
    const p = policy({
      read: 'deny',
      actions: { 'p:open': 'allow', 'p:get': 'allow', 'p:peek': 'deny' },
      change: 'allow',
    });
    expect(
      decideAgentCall(p, { actionId: 'p:get', kind: 'read' }).outcome,
    ).toBe('allow');
    expect(
      decideAgentCall(p, { actionId: 'p:other', kind: 'read' }),
    ).toMatchObject({ outcome: 'refuse', rule: 'paved.agents.read' });
    expect(
      decideAgentCall(p, { actionId: 'p:peek', kind: 'change' }),
    ).toMatchObject({ outcome: 'refuse', rule: 'paved.agents.actions.p:peek' });
  });

  it('says in a refusal which rule refused and what a person must do instead', () => {
    expect(
      decideAgentCall(policy(), {
        actionId: 'runbooks:run-runbook',
        kind: 'destructive',
        dryRun: false,
        personInstead: "run it from the component's Runbooks tab",
        dryRunField: 'preview',
      }),
    ).toEqual({
      outcome: 'refuse',
      rule: 'paved.agents.destructive',
      message:
        "Refused by paved.agents.destructive ('dry-run'): agents may call runbooks:run-runbook only as a dry run: call it again with preview: true to see what it would do. A person must run it from the component's Runbooks tab, or a platform admin must change paved.agents.destructive in the portal's config.",
    });
    expect(
      decideAgentCall(policy(), {
        actionId: 'incidents:open-incident',
        kind: 'change',
      }),
    ).toEqual({
      outcome: 'refuse',
      rule: 'paved.agents.change',
      message:
        "Refused by paved.agents.change ('deny'): agents may not call incidents:open-incident. A person must do it in the portal, or a platform admin must change paved.agents.change in the portal's config.",
    });
  });

  it('says why an action without an approval step is refused under approval', () => {
    const decision = decideAgentCall(policy(), {
      actionId: 'provisioning:extend-resource',
      kind: 'request',
    });
    expect(decision).toMatchObject({ outcome: 'refuse' });
    expect((decision as { message: string }).message).toContain(
      'provisioning:extend-resource has no approval step',
    );
  });
});

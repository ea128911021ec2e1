import { AgentActionKind, AgentMode, AgentPolicy } from './AgentPolicy';

/** @public */
export type AgentDecision =
  | { outcome: 'allow' }
  /** Allowed, but only through approval: the action must make it wait for one. */
  | { outcome: 'approval'; rule: string; reason: string }
  | { outcome: 'refuse'; rule: string; message: string };

/**
 * Whether an agent may make this call: the action's own rule in
 * `paved.agents.actions` when it has one, else the rule of its kind.
 *
 * @public
 */
export function decideAgentCall(
  policy: AgentPolicy,
  call: {
    actionId: string;
    kind: AgentActionKind;
    /** The call asks only for a dry run (what would happen, nothing changed). */
    dryRun?: boolean;
    /** The action can make what it does wait for an approval (provisioning requests). */
    approvable?: boolean;
    /** What a person does instead, e.g. "run it from the component's Runbooks tab". */
    personInstead?: string;
    /** The input field that asks for a dry run, named in refusals; default `dryRun`. */
    dryRunField?: string;
  },
): AgentDecision {
  const override: AgentMode | undefined = policy.actions[call.actionId];
  const mode: AgentMode = override ?? policy[call.kind];
  const rule = override
    ? `paved.agents.actions.${call.actionId}`
    : `paved.agents.${call.kind}`;
  const instead = call.personInstead
    ? ` A person must ${call.personInstead}, or a platform admin must change ${rule} in the portal's config.`
    : ` A person must do it in the portal, or a platform admin must change ${rule} in the portal's config.`;
  const refuse = (why: string): AgentDecision => ({
    outcome: 'refuse',
    rule,
    message: `Refused by ${rule} ('${mode}'): ${why}.${instead}`,
  });

  if (call.kind === 'read' && call.dryRun === undefined && mode === 'dry-run') {
    // A read is its own dry run.
    return { outcome: 'allow' };
  }
  switch (mode) {
    case 'allow':
      return { outcome: 'allow' };
    case 'deny':
      return refuse(`agents may not call ${call.actionId}`);
    case 'dry-run':
      if (call.dryRun === true) {
        return { outcome: 'allow' };
      }
      return refuse(
        `agents may call ${
          call.actionId
        } only as a dry run: call it again with ${
          call.dryRunField ?? 'dryRun'
        }: true to see what it would do`,
      );
    case 'approval':
      if (call.dryRun === true) {
        return { outcome: 'allow' };
      }
      if (!call.approvable) {
        return refuse(
          `${call.actionId} has no approval step, and agents may do it only through approval`,
        );
      }
      return {
        outcome: 'approval',
        rule,
        reason: `${rule} is 'approval': made by an agent, so a person approves it`,
      };
    default:
      return refuse(`unknown mode`);
  }
}

import {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  ActionsRegistryActionContext,
  ActionsRegistryActionExample,
  ActionsRegistryService,
} from '@backstage/backend-plugin-api/alpha';
import { NotAllowedError } from '@backstage/errors';
import type { AnyZodObject, z } from 'zod/v3';
import { AgentActionKind, AgentPolicy } from './AgentPolicy';
import { decideAgentCall } from './decideAgentCall';

/**
 * What the policy decided for this call, for the action to honour.
 *
 * @public
 */
export interface AgentCallContext {
  /**
   * Set when `paved.agents` lets the call through only with an approval: the action
   * must make what it does wait for one, with this reason (and these approvers,
   * when config names them).
   */
  approval?: { rule: string; reason: string; approvers?: string };
}

/** @public */
export interface AgentActionOptions<
  TInput extends AnyZodObject,
  TOutput extends AnyZodObject,
> {
  /** kebab-case; the action id is `<pluginId>:<name>`, the MCP tool `<pluginId>.<name>`. */
  name: string;
  title: string;
  /** What it does, when to use it and what to call next: the agent acts on this. */
  description: string;
  kind: AgentActionKind;
  /** Calling it twice with the same input has the effect of calling it once. */
  idempotent: boolean;
  /** It can make what it does wait for an approval (see AgentCallContext.approval). */
  approvable?: boolean;
  /** What a person does instead when the policy refuses, e.g. "run it from the component's Runbooks tab". */
  personInstead?: string;
  /** The boolean input field that asks for a dry run; default `dryRun`. */
  dryRunField?: string;
  schema: {
    input: (zod: typeof z) => TInput;
    output: (zod: typeof z) => TOutput;
  };
  examples?: Array<ActionsRegistryActionExample<TInput, TOutput>>;
  action: (
    context: ActionsRegistryActionContext<TInput> & { agent: AgentCallContext },
  ) => Promise<{ output: z.infer<TOutput> }>;
}

/** The principal's entity ref, e.g. `user:default/carla`, for audit events. */
export function principalRef(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  if (principal.type === 'service' && principal.subject) {
    return principal.subject;
  }
  return principal.type;
}

/**
 * Registers a plugin's actions in the Actions Registry under the agent policy: the
 * attributes follow from the kind (so `readOnly` and `destructive` are always
 * truthful), and every call is checked against `paved.agents` before the action
 * runs. A refusal is a 403 (NotAllowedError) that names the rule and says what a
 * person must do instead; it is audited like the calls that run.
 *
 * Everything that reaches an action through the registry is treated as an agent's
 * call: people use the portal's REST APIs, agents the registry (the MCP server).
 *
 * @public
 */
export class AgentActions {
  constructor(
    private readonly deps: {
      pluginId: string;
      registry: ActionsRegistryService;
      policy: AgentPolicy;
      auditor: AuditorService;
    },
  ) {}

  register<TInput extends AnyZodObject, TOutput extends AnyZodObject>(
    options: AgentActionOptions<TInput, TOutput>,
  ): void {
    const { pluginId, registry, policy, auditor } = this.deps;
    const actionId = `${pluginId}:${options.name}`;
    const dryRunField = options.dryRunField ?? 'dryRun';
    registry.register<TInput, TOutput>({
      name: options.name,
      title: options.title,
      description: options.description,
      schema: options.schema,
      examples: options.examples,
      attributes: {
        readOnly: options.kind === 'read',
        destructive: options.kind === 'destructive',
        idempotent: options.idempotent,
      },
      action: (async (
        context: ActionsRegistryActionContext<TInput, undefined>,
      ) => {
        const input = context.input as Record<string, unknown>;
        const dryRun =
          typeof input[dryRunField] === 'boolean'
            ? (input[dryRunField] as boolean)
            : undefined;
        const decision = decideAgentCall(policy, {
          actionId,
          kind: options.kind,
          dryRun,
          approvable: options.approvable,
          personInstead: options.personInstead,
          dryRunField,
        });
        const event = await auditor.createEvent({
          eventId: 'agent-action',
          severityLevel: options.kind === 'read' ? 'low' : 'medium',
          meta: {
            actionId,
            kind: options.kind,
            actor: principalRef(context.credentials),
            decision: decision.outcome,
            ...(decision.outcome !== 'allow' && { rule: decision.rule }),
            ...(dryRun !== undefined && { dryRun }),
          },
        });
        if (decision.outcome === 'refuse') {
          const error = new NotAllowedError(decision.message);
          await event.fail({ error });
          throw error;
        }
        try {
          const result = await options.action({
            ...(context as ActionsRegistryActionContext<TInput>),
            agent:
              decision.outcome === 'approval'
                ? {
                    approval: {
                      rule: decision.rule,
                      reason: decision.reason,
                      approvers: policy.approvers,
                    },
                  }
                : {},
          });
          await event.success();
          return result;
        } catch (error) {
          await event.fail({ error: error as Error });
          throw error;
        }
      }) as never,
    });
  }
}

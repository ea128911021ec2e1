import {
  auditedAsAgent,
  ProvisioningActionsDeps,
  realCallOf,
} from './ProvisioningActionsDeps';
import {
  fieldErrorOutput,
  requestIdInput,
  requestOf,
  requestOutput,
} from './agentSchemas';

/** An extension without `hours`, for a type without a `ttlHours` parameter. */
const DEFAULT_EXTENSION_HOURS = 24;

/** The actions on a request after it was made: extend, day-2 actions, delete. */
export function registerResourceActions(deps: ProvisioningActionsDeps): void {
  const { actions, requests, operations, expiry, auditor, agentPolicy } = deps;

  actions.register({
    name: 'extend-resource',
    title: 'Extend a resource',
    description:
      "Moves the expiry of a resource that expires without activity (an environment, say) to `hours` from now, at most its type's limit (list-resource-types: lifetime.maxHours). Only its owners may. Idempotent: extending again to the same hours sets the same expiry (from now).",
    kind: 'change',
    idempotent: true,
    personInstead: "extend it from the resource's page in the portal",
    schema: {
      input: z =>
        z.object({
          requestId: requestIdInput(z),
          hours: z
            .number()
            .int()
            .min(1)
            .optional()
            .describe(
              "Hours from now; default: the resource's own time-to-live (its ttlHours parameter), else 24.",
            ),
        }),
      output: z =>
        z.object({
          request: requestOutput(z),
          expiresAt: z
            .string()
            .nullable()
            .describe('The new expiry; null: it does not expire.'),
        }),
    },
    action: async ({ input, credentials }) => {
      // The default: as long as the resource was asked to live, from now.
      const hours =
        input.hours ?? (await defaultHours(deps, input.requestId, credentials));
      const request = await auditedAsAgent(
        auditor,
        {
          eventId: 'request-extend',
          credentials,
          meta: { requestId: input.requestId, hours },
        },
        () => expiry.extend(input.requestId, { hours }, credentials),
        result => ({ expiresAt: result.expiresAt ?? null }),
      );
      return {
        output: {
          request: requestOf(request),
          expiresAt: request.expiresAt ?? null,
        },
      };
    },
  });

  actions.register({
    name: 'run-resource-action',
    title: 'Run a day-2 action',
    description:
      "Runs a day-2 action of a ready resource (resize, rotate credentials, deploy to an environment or workload, ...; list-resource-types lists each type's actions and their input schemas). By default it is a dry run (`dryRun: true`): it checks everything as the real run would and says what would happen (validated input, whether an approval is needed and by whom), and changes nothing. With `dryRun: false` it queues the action, or holds it until a person approves it when the type or paved.agents asks for one (the default policy does for agents); poll get-request until the request is ready again.",
    kind: 'request',
    idempotent: false,
    approvable: true,
    personInstead: "run the action from the resource's page in the portal",
    schema: {
      input: z =>
        z.object({
          requestId: requestIdInput(z),
          action: z
            .string()
            .min(1)
            .describe("The action's id, e.g. `resize` or `deploy`."),
          input: z
            .record(z.unknown())
            .optional()
            .describe("The action's input, as its JSON Schema says."),
          dryRun: z
            .boolean()
            .default(true)
            .describe(
              'true (the default): say what would happen, change nothing. false: run it.',
            ),
          idempotencyKey: z
            .string()
            .min(1)
            .max(255)
            .optional()
            .describe(
              'With a key, repeating the real run returns the operation the first one queued instead of running again.',
            ),
        }),
      output: z =>
        z.object({
          dryRun: z.boolean(),
          plan: z
            .object({
              valid: z
                .boolean()
                .describe('Running it now (dryRun: false) would be accepted.'),
              errors: z.array(fieldErrorOutput(z)),
              input: z
                .record(z.unknown())
                .describe('The input as it would be queued, with defaults.'),
              approval: z.object({
                required: z.boolean(),
                group: z.string().optional(),
                reason: z.string().optional(),
              }),
              summary: z.string().describe('What would happen, in a sentence.'),
            })
            .optional()
            .describe('For a dry run: what the real run would do.'),
          operation: z
            .object({
              id: z.string(),
              action: z.string().optional(),
              status: z
                .string()
                .describe(
                  'pending-approval: waits for approval.group; queued: runs soon.',
                ),
              approval: z
                .object({ group: z.string(), reason: z.string() })
                .optional(),
            })
            .optional()
            .describe('For a real run: the operation queued or held.'),
          created: z
            .boolean()
            .optional()
            .describe(
              'false: an earlier run with the same idempotencyKey was returned.',
            ),
        }),
    },
    action: async ({ input, credentials, agent }) => {
      const body = {
        ...(input.input ? { input: input.input } : {}),
        ...(input.idempotencyKey
          ? { idempotencyKey: input.idempotencyKey }
          : {}),
      };
      if (input.dryRun) {
        const real = realCallOf(agentPolicy, {
          name: 'run-resource-action',
          kind: 'request',
          approvable: true,
        });
        const plan = await operations.planAction(
          input.requestId,
          input.action,
          body,
          credentials,
          real.imposed,
        );
        return {
          output: {
            dryRun: true,
            plan: real.refusal
              ? {
                  ...plan,
                  valid: false,
                  errors: [
                    ...plan.errors,
                    { field: real.refusal.rule, message: real.refusal.message },
                  ],
                }
              : plan,
          },
        };
      }
      const { operation, created } = await auditedAsAgent(
        auditor,
        {
          eventId: 'request-action',
          credentials,
          meta: { requestId: input.requestId, action: input.action },
        },
        () =>
          operations.runAction(
            input.requestId,
            input.action,
            body,
            credentials,
            agent,
          ),
        result => ({
          operationId: result.operation.id,
          created: result.created,
          status: result.operation.status,
        }),
      );
      return {
        output: {
          dryRun: false,
          operation: {
            id: operation.id,
            ...(operation.action ? { action: operation.action } : {}),
            status: operation.status,
            ...(operation.approval
              ? {
                  approval: {
                    group: operation.approval.group,
                    reason: operation.approval.reason,
                  },
                }
              : {}),
          },
          created,
        },
      };
    },
  });

  actions.register({
    name: 'delete-resource',
    title: 'Delete a resource',
    description:
      "Deletes a resource: its type's destroy step tears it down (an environment deletes the resources attached to it first); this cannot be undone. By default it is a dry run (`dryRun: true`) that says what would be deleted and what is retained, and changes nothing. Under the default paved.agents policy (destructive: dry-run) agents may only do the dry run: a person deletes from the portal. Idempotent: deleting what is being deleted or deleted returns it as it is.",
    kind: 'destructive',
    idempotent: true,
    personInstead: "delete it from the resource's page in the portal",
    schema: {
      input: z =>
        z.object({
          requestId: requestIdInput(z),
          dryRun: z
            .boolean()
            .default(true)
            .describe(
              'true (the default): say what would be deleted, change nothing. false: delete.',
            ),
        }),
      output: z =>
        z.object({
          dryRun: z.boolean(),
          outcome: z
            .enum(['destroy', 'withdraw', 'nothing', 'refused', 'deleting'])
            .describe(
              'destroy: its resources would be torn down; withdraw: a request still waiting for approval would be withdrawn; nothing: already gone; refused: it cannot be deleted now (summary says why); deleting: the real delete started.',
            ),
          summary: z.string().describe('What would happen (or happened).'),
          deleted: z
            .array(
              z.object({
                id: z.string(),
                type: z.string(),
                name: z.string(),
                owner: z.string(),
              }),
            )
            .describe('What is (or would be) destroyed.'),
          retained: z.array(z.string()).describe('What stays.'),
          realDelete: z
            .string()
            .optional()
            .describe(
              'For a dry run: whether paved.agents lets an agent do the real delete.',
            ),
          request: requestOutput(z)
            .optional()
            .describe('For a real delete: the request, now deleting.'),
        }),
    },
    action: async ({ input, credentials }) => {
      const plan = await operations.planDelete(input.requestId, credentials);
      if (input.dryRun) {
        const real = realCallOf(agentPolicy, {
          name: 'delete-resource',
          kind: 'destructive',
        });
        return {
          output: {
            dryRun: true,
            ...plan,
            realDelete: real.refusal
              ? real.refusal.message
              : 'paved.agents lets an agent delete it: call again with dryRun: false',
          },
        };
      }
      const request = await auditedAsAgent(
        auditor,
        {
          eventId: 'request-delete',
          credentials,
          meta: { requestId: input.requestId },
        },
        () => operations.delete(input.requestId, credentials),
        result => ({ state: result.state }),
      );
      return {
        output: {
          dryRun: false,
          outcome:
            request.state === 'deleting' ? ('deleting' as const) : plan.outcome,
          summary:
            request.state === 'deleting'
              ? `Deleting ${request.type} '${request.name}': poll get-request until it is deleted`
              : `${request.type} '${request.name}' is ${request.state}`,
          deleted: plan.deleted,
          retained: plan.retained,
          request: requestOf(request),
        },
      };
    },
  });

  /** The resource's own time-to-live, for an extension without `hours`. */
  async function defaultHours(
    d: ProvisioningActionsDeps,
    id: string,
    credentials: Parameters<typeof requests.get>[1],
  ): Promise<number> {
    const request = await d.requests.get(id, credentials);
    const ttl = request.parameters.ttlHours;
    if (typeof ttl === 'number' && ttl >= 1) {
      return ttl;
    }
    const maxHours = d.requests
      .listTypes()
      .find(type => type.id === request.type)?.lifetime?.maxHours;
    return Math.min(
      DEFAULT_EXTENSION_HOURS,
      maxHours ?? DEFAULT_EXTENSION_HOURS,
    );
  }
}

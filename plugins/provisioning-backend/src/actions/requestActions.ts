import { InputError } from '@backstage/errors';
import {
  ACTIVE_REQUEST_STATES,
  ProvisioningRequestDetails,
  REQUEST_STATES,
} from '@paved/plugin-provisioning-common';
import {
  requestIdInput,
  requestInputShape,
  requestOf,
  requestOutput,
  requestPlanOutput,
} from './agentSchemas';
import {
  auditedAsAgent,
  linksOf,
  ProvisioningActionsDeps,
  realCallOf,
} from './ProvisioningActionsDeps';
import { RequestPlan } from '../service/RequestPlan';

/** Environments and workloads are resource types: the generic actions cover them. */
const ENVIRONMENTS_NOTE =
  'Environments (type `environment`, a Kubernetes namespace) and Score workloads (type `workload`) are resource types too: create one with submit-request, deploy with run-resource-action (action `deploy`), tear it down with delete-resource.';

/** States whose resources are alive, as list-my-resources lists by default. */
const LIVE_STATES = ACTIVE_REQUEST_STATES;

/** What a plan says about the real submit-request under `paved.agents`. */
export async function planWithAgentPolicy(
  deps: ProvisioningActionsDeps,
  body: unknown,
  credentials: Parameters<ProvisioningActionsDeps['requests']['plan']>[1],
): Promise<RequestPlan> {
  const real = realCallOf(deps.agentPolicy, {
    name: 'submit-request',
    kind: 'request',
    approvable: true,
  });
  const plan = await deps.requests.plan(body, credentials, real.imposed);
  if (!real.refusal) {
    return plan;
  }
  return {
    ...plan,
    valid: false,
    errors: [
      ...plan.errors,
      { field: real.refusal.rule, message: real.refusal.message },
    ],
  };
}

/** The actions that request resources and read requests. */
export function registerRequestActions(deps: ProvisioningActionsDeps): void {
  const { actions, requests, userInfo, auditor } = deps;

  actions.register({
    name: 'list-resource-types',
    title: 'List resource types',
    description: `Lists the kinds of resources a team can request (databases, queues, buckets, environments, ...): for each, its id, what it is, the JSON Schema of its parameters, its day-2 actions with their input schemas, and its lifetime if it expires. Call it first, then plan-request. ${ENVIRONMENTS_NOTE}`,
    kind: 'read',
    idempotent: true,
    schema: {
      input: z => z.object({}),
      output: z =>
        z.object({
          items: z
            .array(
              z.object({
                id: z
                  .string()
                  .describe(
                    'The type id: `type` of plan-request and submit-request.',
                  ),
                title: z.string(),
                description: z
                  .string()
                  .describe('What it makes and how it behaves.'),
                catalogType: z
                  .string()
                  .describe('The catalog Resource `spec.type` it appears as.'),
                parameters: z
                  .record(z.unknown())
                  .describe("JSON Schema of the request's `parameters`."),
                lifetime: z
                  .object({
                    maxHours: z
                      .number()
                      .describe('The most extend-resource may give, in hours.'),
                  })
                  .optional()
                  .describe(
                    'Present when its resources expire without activity.',
                  ),
                scoreTypes: z
                  .array(z.string())
                  .optional()
                  .describe(
                    'The Score resource types it provides to workloads.',
                  ),
                actions: z
                  .array(
                    z.object({
                      id: z
                        .string()
                        .describe('`action` of run-resource-action.'),
                      title: z.string(),
                      description: z.string().optional(),
                      parameters: z
                        .record(z.unknown())
                        .describe("JSON Schema of the action's `input`."),
                    }),
                  )
                  .describe('Day-2 actions (run-resource-action).'),
              }),
            )
            .describe('The registered resource types.'),
        }),
    },
    action: async () => ({ output: { items: requests.listTypes() } }),
  });

  actions.register({
    name: 'plan-request',
    title: 'Plan a resource request',
    description: `Says what submit-request would do with the same input, without storing anything: the request as it would be created (parameters with defaults), the owner's quota (used, max, this request's cost), whether it must be approved, by whom and why (including the approval paved.agents imposes on agents' requests), and every problem as {field, message}. Invalid parameters are returned in \`errors\`, not thrown. Call it before submit-request and fix what \`errors\` names. ${ENVIRONMENTS_NOTE}`,
    kind: 'read',
    idempotent: true,
    schema: {
      input: z => z.object(requestInputShape(z)),
      output: z => requestPlanOutput(z),
    },
    examples: [
      {
        title: 'A development database',
        description: 'A small development database for the payments team',
        input: {
          type: 'postgres',
          name: 'payments-db',
          owner: 'group:default/payments-team',
          parameters: { environment: 'dev' },
        },
        output: {
          valid: true,
          errors: [],
          request: {
            type: 'postgres',
            name: 'payments-db',
            owner: 'group:default/payments-team',
            parameters: { environment: 'dev', sizeGb: 10 },
          },
          quota: { used: 1, max: 5, cost: 1 },
          approval: {
            required: true,
            group: 'group:default/platform-team',
            reason:
              "paved.agents.request is 'approval': made by an agent, so a person approves it",
          },
        },
      },
    ],
    action: async ({ input, credentials }) => ({
      output: await planWithAgentPolicy(deps, input, credentials),
    }),
  });

  actions.register({
    name: 'submit-request',
    title: 'Request a resource',
    description: `Requests a resource for one of your teams, as the portal's request form does: validated, quota-checked and authorized as you. Plan it first (plan-request). Idempotent: the same input returns the existing request (\`created: false\`); the same name with other parameters is refused. The request then provisions by itself, or waits in \`pending-approval\` until a person approves it (under the default paved.agents policy every request an agent makes does); poll get-request until \`ready\`. ${ENVIRONMENTS_NOTE}`,
    kind: 'request',
    idempotent: true,
    approvable: true,
    personInstead:
      "request it from the portal's Self-service page (or plan it here and ask a teammate)",
    schema: {
      input: z => z.object(requestInputShape(z)),
      output: z =>
        z.object({
          request: requestOutput(z),
          created: z
            .boolean()
            .describe('false: the same request existed and was returned.'),
          next: z.string().describe('What happens next and what to call.'),
        }),
    },
    action: async ({ input, credentials, agent }) => {
      const { request, created } = await auditedAsAgent(
        auditor,
        {
          eventId: 'request-create',
          credentials,
          meta: { type: input.type, name: input.name, owner: input.owner },
        },
        () => requests.create(input, credentials, agent),
        result => ({
          requestId: result.request.id,
          created: result.created,
          state: result.request.state,
        }),
      );
      const next =
        request.state === 'pending-approval'
          ? `Waits for a member of ${request.approval?.group} to approve it in the portal (${request.approval?.reason}); you cannot approve it yourself. Poll get-request with requestId ${request.id}.`
          : `Poll get-request with requestId ${request.id} until its state is ready (or failed, with lastError).`;
      return { output: { request: requestOf(request), created, next } };
    },
  });

  actions.register({
    name: 'get-request',
    title: 'Get a request',
    description:
      "Reads one request as the portal's request page shows it: its state, timeline (newest last), operations, live figures from its type (for ready resources) and non-secret outputs, with a link to its page. Use it to wait for `ready` after submit-request or run-resource-action. Credentials are never in the outputs: they are in the Kubernetes Secret the type delivers.",
    kind: 'read',
    idempotent: true,
    schema: {
      input: z => z.object({ requestId: requestIdInput(z) }),
      output: z =>
        z.object({
          request: requestOutput(z),
          timeline: z
            .array(
              z.object({
                type: z
                  .string()
                  .describe('e.g. requested, approved, ready, step-failed'),
                message: z.string(),
                actor: z.string().optional(),
                createdAt: z.string(),
              }),
            )
            .describe(
              'What happened to the request, oldest first (the last 100 events).',
            ),
          operations: z
            .array(
              z.object({
                id: z.string(),
                kind: z.string(),
                action: z.string().optional(),
                status: z.string(),
                lastError: z.string().optional(),
                createdBy: z.string(),
                createdAt: z.string(),
                finishedAt: z.string().optional(),
              }),
            )
            .describe('Provision, day-2 actions and destroy, oldest first.'),
          status: z
            .object({
              sections: z
                .array(z.record(z.unknown()))
                .describe('Titled items, tables and messages from the type.'),
            })
            .nullable()
            .describe(
              'Live figures the type reports for a ready resource; null while it is not ready or when the type reports none.',
            ),
          links: z
            .object({
              page: z
                .string()
                .optional()
                .describe("The request's page in the portal."),
              api: z.string().describe('The REST resource (GET).'),
            })
            .describe('Where a person sees it.'),
        }),
    },
    action: async ({ input, credentials }) => {
      const details = await requests.get(input.requestId, credentials);
      return {
        output: {
          request: requestOf(details),
          timeline: details.timeline.slice(-100).map(event => ({
            type: event.type,
            message: event.message,
            ...(event.actor ? { actor: event.actor } : {}),
            createdAt: event.createdAt,
          })),
          operations: details.operations.map(operation => ({
            id: operation.id,
            kind: operation.kind,
            ...(operation.action ? { action: operation.action } : {}),
            status: operation.status,
            ...(operation.lastError ? { lastError: operation.lastError } : {}),
            createdBy: operation.createdBy,
            createdAt: operation.createdAt,
            ...(operation.finishedAt
              ? { finishedAt: operation.finishedAt }
              : {}),
          })),
          status: await liveStatus(deps, details, credentials),
          links: linksOf(deps.appBaseUrl, details.id),
        },
      };
    },
  });

  actions.register({
    name: 'list-my-resources',
    title: "List my teams' resources",
    description:
      'Lists the requests of your teams (or of `owner`), newest first: by default those whose resources are alive (not rejected or deleted). Use the ids with get-request, extend-resource, run-resource-action and delete-resource.',
    kind: 'read',
    idempotent: true,
    schema: {
      input: z =>
        z.object({
          owner: z
            .string()
            .optional()
            .describe(
              'A group entity ref, e.g. group:default/payments-team; default: every team you belong to.',
            ),
          type: z.string().optional().describe('Only this resource type.'),
          states: z
            .array(z.enum(REQUEST_STATES as [string, ...string[]]))
            .optional()
            .describe(`Only these states; default: ${LIVE_STATES.join(', ')}.`),
          limit: z
            .number()
            .int()
            .min(1)
            .max(500)
            .default(100)
            .describe('At most this many (default 100).'),
        }),
      output: z =>
        z.object({
          owners: z.array(z.string()).describe('The teams listed.'),
          items: z.array(requestOutput(z)),
          totalCount: z.number().describe('How many match, beyond `limit`.'),
        }),
    },
    action: async ({ input, credentials }) => {
      let owners: string[];
      if (input.owner) {
        owners = [input.owner];
      } else {
        const principal = credentials.principal as { type: string };
        const refs =
          principal.type === 'user'
            ? (await userInfo.getUserInfo(credentials)).ownershipEntityRefs
            : [];
        owners = refs.filter(ref => ref.startsWith('group:'));
        if (owners.length === 0) {
          throw new InputError(
            'Invalid input: owner: you belong to no team; name the group whose resources to list',
          );
        }
      }
      const { items, totalCount } = await requests.list(
        {
          owner: owners.join(','),
          state: (input.states ?? LIVE_STATES).join(','),
          ...(input.type ? { type: input.type } : {}),
          limit: String(input.limit),
        },
        credentials,
      );
      return {
        output: { owners, items: items.map(requestOf), totalCount },
      };
    },
  });
}

/** The type's live figures for a ready resource, null otherwise. */
async function liveStatus(
  deps: ProvisioningActionsDeps,
  details: ProvisioningRequestDetails,
  credentials: Parameters<ProvisioningActionsDeps['requests']['status']>[1],
) {
  if (details.state !== 'ready' && details.state !== 'updating') {
    return null;
  }
  try {
    const { sections } = await deps.requests.status(details.id, credentials);
    return sections.length > 0
      ? { sections: sections as unknown as Array<Record<string, unknown>> }
      : null;
  } catch {
    // The figures are extra: a slow or failing status hook (or a state that
    // changed meanwhile) must not hide the request itself, which is the answer.
    return null;
  }
}

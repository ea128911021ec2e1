import type { z as zod } from 'zod/v3';
import {
  ProvisioningOperation,
  ProvisioningRequest,
  REQUEST_STATES,
} from '@paved/plugin-provisioning-common';

/** The zod (v3) the Actions Registry hands to schema builders. */
export type Z = typeof zod;

const STATES = REQUEST_STATES.join(', ');

/** The id field every action on one request takes. */
export const requestIdInput = (z: Z) =>
  z
    .string()
    .min(1)
    .describe(
      'The id of a provisioning request, as submit-request, list-my-resources or get-request return it.',
    );

/** `{ field, message }`, as plans list their problems. */
export const fieldErrorOutput = (z: Z) =>
  z.object({
    field: z
      .string()
      .describe('The input field at fault, e.g. `parameters.sizeGb`.'),
    message: z.string().describe('What is wrong with it and what would do.'),
  });

const approvalOutput = (z: Z) =>
  z.object({
    group: z
      .string()
      .describe('The group whose members may approve (not the requester).'),
    reason: z.string().describe('The rule that asked for the approval.'),
    decision: z.enum(['approved', 'rejected']).optional(),
    decidedBy: z.string().optional(),
    comment: z.string().optional(),
  });

const operationOutput = (z: Z) =>
  z.object({
    id: z.string().describe('The operation id.'),
    kind: z.enum(['provision', 'action', 'destroy']).describe('What it does.'),
    action: z
      .string()
      .optional()
      .describe("The day-2 action's id, for kind 'action'."),
    status: z
      .enum(['pending-approval', 'queued', 'running', 'succeeded', 'failed'])
      .describe('pending-approval: waits for approval.group; then it runs.'),
    lastError: z.string().optional(),
    approval: approvalOutput(z)
      .optional()
      .describe('Why the operation waits (or waited) for an approval.'),
  });

/** A request as agents see it: everything the REST API serves but the timeline. */
export const requestOutput = (z: Z) =>
  z.object({
    id: z
      .string()
      .describe(
        'The request id; pass it as requestId to get-request, extend-resource, run-resource-action and delete-resource.',
      ),
    type: z.string().describe('The resource type id, e.g. `postgres`.'),
    name: z.string().describe('The resource name (unique across teams).'),
    owner: z.string().describe("The owning group's entity ref."),
    state: z
      .enum(REQUEST_STATES as [string, ...string[]])
      .describe(
        `One of ${STATES}. pending-approval waits for a person in approval.group; provisioning becomes ready (or failed) by itself: poll get-request.`,
      ),
    parameters: z
      .record(z.unknown())
      .describe("The parameters as validated against the type's schema."),
    outputs: z
      .record(z.unknown())
      .describe(
        "Non-secret outputs, e.g. a host name. Credentials are never outputs: they are in the Kubernetes Secret the resource type delivers to the team's namespace.",
      ),
    createdBy: z.string().describe('Who made the request.'),
    createdAt: z.string(),
    updatedAt: z.string(),
    expiresAt: z
      .string()
      .optional()
      .describe(
        'When the resource is deleted unless used or extended (extend-resource).',
      ),
    lastError: z.string().optional().describe('Why it failed, if it did.'),
    approval: approvalOutput(z)
      .optional()
      .describe(
        'Why the request needs (or needed) an approval, and the decision.',
      ),
    activeOperation: operationOutput(z)
      .optional()
      .describe('The operation running, queued or waiting for an approval.'),
  });

function operationOf(operation: ProvisioningOperation) {
  return {
    id: operation.id,
    kind: operation.kind,
    ...(operation.action ? { action: operation.action } : {}),
    status: operation.status,
    ...(operation.lastError ? { lastError: operation.lastError } : {}),
    ...(operation.approval ? { approval: operation.approval } : {}),
  };
}

/** The request as {@link requestOutput} describes it. */
export function requestOf(request: ProvisioningRequest) {
  return {
    id: request.id,
    type: request.type,
    name: request.name,
    owner: request.owner,
    state: request.state,
    parameters: request.parameters,
    outputs: request.outputs,
    createdBy: request.createdBy,
    createdAt: request.createdAt,
    updatedAt: request.updatedAt,
    ...(request.expiresAt ? { expiresAt: request.expiresAt } : {}),
    ...(request.lastError ? { lastError: request.lastError } : {}),
    ...(request.approval ? { approval: request.approval } : {}),
    ...(request.activeOperation
      ? { activeOperation: operationOf(request.activeOperation) }
      : {}),
  };
}

/** The input of a request, as `POST /requests` takes it. */
export const requestInputShape = (z: Z) => ({
  type: z
    .string()
    .min(1)
    .describe(
      'The resource type id, e.g. `postgres`; list-resource-types lists them with their parameter schemas.',
    ),
  name: z
    .string()
    .describe(
      "The resource's name: lowercase letters, digits and dashes, at most 63 characters, unique across teams.",
    ),
  owner: z
    .string()
    .describe(
      'The owning group as an entity ref, e.g. `group:default/payments-team`; one of your teams.',
    ),
  parameters: z
    .record(z.unknown())
    .optional()
    .describe(
      "The type's parameters, as its JSON Schema (list-resource-types) says; defaults are filled in.",
    ),
});

/** A plan of a request, as `RequestService.plan` returns it. */
export const requestPlanOutput = (z: Z) =>
  z.object({
    valid: z
      .boolean()
      .describe(
        'Submitting the same input now (submit-request) would be accepted.',
      ),
    errors: z
      .array(fieldErrorOutput(z))
      .describe('Every problem, naming its field; fix them and plan again.'),
    request: z
      .object({
        type: z.string(),
        name: z.string(),
        owner: z
          .string()
          .describe('Normalised, e.g. group:default/payments-team.'),
        parameters: z
          .record(z.unknown())
          .describe('With the defaults submit-request would fill in.'),
      })
      .describe('What would be created.'),
    existing: z
      .object({ id: z.string(), state: z.string() })
      .optional()
      .describe(
        'An active request of the same type, owner, name and parameters: submit-request would return it rather than make another.',
      ),
    quota: z
      .object({
        used: z
          .number()
          .nullable()
          .describe("What the owner's active requests of the type use."),
        max: z
          .number()
          .nullable()
          .describe("The owner's quota for the type; null: no quota."),
        cost: z.number().nullable().describe('What this request would use.'),
      })
      .describe('Null figures: the input is too broken to tell.'),
    approval: z
      .object({
        required: z.boolean(),
        group: z.string().optional().describe('Who would approve.'),
        reason: z
          .string()
          .optional()
          .describe(
            "The rule that asks for it: a provisioning policy rule, the resource type's, or paved.agents.",
          ),
      })
      .describe(
        'Whether the request would wait for an approval before anything is provisioned.',
      ),
    lifetime: z
      .object({
        ttlHours: z
          .number()
          .nullable()
          .describe(
            'Hours without activity before it is deleted; null: never.',
          ),
        maxHours: z.number().describe('The most extend-resource may give.'),
      })
      .optional()
      .describe('For types whose resources expire without activity.'),
  });

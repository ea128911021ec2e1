import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import {
  actionBodySchema,
  ProvisioningOperation,
  ProvisioningRequest,
  provisioningRequestDeletePermission,
  provisioningRequestUpdatePermission,
} from '@paved/plugin-provisioning-common';
import { actorOf, parseInput } from '@paved/backend-plugin-utils';
import { ENVIRONMENT_TYPE } from '@paved/plugin-provisioning-node';
import { FieldError, fieldErrorsOf } from './fieldErrors';
import { ImposedApproval } from './RequestPlan';
import { loadRequest, ServiceDependencies } from './ServiceDependencies';
import { stepRequestOf } from './stepRequestOf';
import { StoreRequestLookup } from './StoreRequestLookup';

/** What `runAction` would do with a body, computed as it would, changing nothing. */
export interface ActionPlan {
  /** Running it now would be accepted. */
  valid: boolean;
  errors: FieldError[];
  /** The input as it would be queued, with defaults. */
  input: JsonObject;
  /** Who must approve the run first, if anyone. */
  approval: { required: boolean; group?: string; reason?: string };
  /** What would happen, in a sentence. */
  summary: string;
}

/** What `delete` would do to a request, changing nothing. */
export interface DeletePlan {
  outcome: 'destroy' | 'withdraw' | 'nothing' | 'refused';
  summary: string;
  /** What would be destroyed: the request's resource and those attached to it. */
  deleted: Array<{ id: string; type: string; name: string; owner: string }>;
  /** What stays after the deletion. */
  retained: string[];
}

/** Day-2 actions and deletion: the operations on a request after it was made. */
export class OperationService {
  constructor(private readonly deps: ServiceDependencies) {}

  /**
   * Queues a day-2 action on a ready request, or holds it for an approval when the
   * action's `requiresApproval` says so (`pending-approval`; ApprovalService decides).
   * With an idempotency key, repeating the call returns the operation the first one
   * queued.
   */
  async runAction(
    id: string,
    actionId: string,
    body: unknown,
    credentials: BackstageCredentials,
    imposed: ImposedApproval = {},
  ): Promise<{ operation: ProvisioningOperation; created: boolean }> {
    const { store, types, authorizer } = this.deps;
    const { input, idempotencyKey } = parseInput(
      actionBodySchema,
      body,
      'action',
    );
    const request = await loadRequest(store, id);
    await authorizer.authorize(
      provisioningRequestUpdatePermission,
      request,
      credentials,
    );
    const { action, validateInput } = types.getAction(request.type, actionId);
    const validated = validateInput((input ?? {}) as JsonObject);
    const earlier = async () =>
      idempotencyKey
        ? store.findOperationByIdempotencyKey(id, idempotencyKey)
        : undefined;

    const existing = await earlier();
    if (existing) {
      return { operation: existing, created: false };
    }
    // After the replay check: what the first call changed must not refuse its repeat.
    const problem = action.checkInput?.(validated, {
      request: stepRequestOf(request),
      outputs: request.outputs,
      resourceTypes: types,
    });
    if (problem) {
      throw new InputError(`Invalid input: ${problem}`);
    }
    if (request.state !== 'ready') {
      throw new ConflictError(
        `Request ${id} is ${request.state}; actions run only on ready requests`,
      );
    }
    const by = actorOf(credentials);
    const approval = this.approvalOf(request, actionId, validated, imposed);
    let updated: ProvisioningRequest | undefined;
    try {
      // An action held for an approval leaves the request ready (nothing runs yet);
      // its operation still takes the request's one unfinished slot.
      updated = await store.transition(id, {
        from: ['ready'],
        to: approval ? 'ready' : 'updating',
        event: {
          type: 'action-requested',
          message: `${by} asked for action '${actionId}'`,
          actor: by,
        },
        enqueue: {
          kind: 'action',
          action: actionId,
          input: validated,
          idempotencyKey,
          createdBy: by,
          approval,
        },
      });
    } catch (error) {
      const raced = await earlier();
      if (raced) {
        return { operation: raced, created: false };
      }
      throw error;
    }
    if (!updated?.activeOperation) {
      const raced = await earlier();
      if (raced) {
        return { operation: raced, created: false };
      }
      throw new ConflictError(
        `Request ${id} changed while the action was being queued; try again`,
      );
    }
    if (approval) {
      await this.deps.notifier?.notify(updated, {
        type: 'action-needs-approval',
        operation: updated.activeOperation,
      });
    } else {
      this.deps.onWorkQueued();
    }
    // A day-2 action (a deploy, say) is activity: the resource lives on.
    await this.deps.expiry?.recordActivity(id);
    return { operation: updated.activeOperation, created: true };
  }

  /**
   * What `runAction` would do, as it would check it (permission, input, state,
   * approval), without queuing anything: a dry run. Refusals about the input or
   * the state are returned as field errors; a permission refusal or an unknown
   * request or action throws, as the run would.
   */
  async planAction(
    id: string,
    actionId: string,
    body: unknown,
    credentials: BackstageCredentials,
    imposed: ImposedApproval = {},
  ): Promise<ActionPlan> {
    const { store, types, authorizer } = this.deps;
    const { input } = parseInput(actionBodySchema, body, 'action');
    const request = await loadRequest(store, id);
    await authorizer.authorize(
      provisioningRequestUpdatePermission,
      request,
      credentials,
    );
    const { action, validateInput } = types.getAction(request.type, actionId);
    const errors: FieldError[] = [];
    let validated: JsonObject | undefined;
    try {
      validated = validateInput((input ?? {}) as JsonObject);
    } catch (error) {
      errors.push(...fieldErrorsOf(error, 'input'));
    }
    if (validated) {
      const problem = action.checkInput?.(validated, {
        request: stepRequestOf(request),
        outputs: request.outputs,
        resourceTypes: types,
      });
      if (problem) {
        errors.push(...fieldErrorsOf(new InputError(problem), 'input'));
      }
    }
    if (request.state !== 'ready') {
      errors.push({
        field: 'requestId',
        message: `request ${id} is ${request.state}; actions run only on ready requests`,
      });
    }
    const approval = validated
      ? this.approvalOf(request, actionId, validated, imposed)
      : undefined;
    const what = `action '${actionId}' (${action.title}) on ${request.type} '${request.name}' of ${request.owner}`;
    let summary: string;
    if (errors.length > 0) {
      summary = `Would refuse ${what}: ${errors
        .map(error => `${error.field}: ${error.message}`)
        .join('; ')}`;
    } else if (approval) {
      summary = `Would hold ${what} until a member of ${approval.group} approves it (${approval.reason}); nothing runs before that`;
    } else {
      summary = `Would run ${what} at once${
        action.description ? `: ${action.description}` : ''
      }`;
    }
    return {
      valid: errors.length === 0,
      errors,
      input: validated ?? ((input ?? {}) as JsonObject),
      approval: approval
        ? { required: true, ...approval }
        : { required: false },
      summary,
    };
  }

  /** The action's own approval, else the one the caller's policy imposes. */
  private approvalOf(
    request: ProvisioningRequest,
    actionId: string,
    input: JsonObject,
    imposed: ImposedApproval,
  ): { group: string; reason: string } | undefined {
    const { policy, types } = this.deps;
    const { action } = types.getAction(request.type, actionId);
    return (
      policy.approvalForAction({ id: actionId, definition: action }, input, {
        request: stepRequestOf(request),
        outputs: request.outputs,
      }) ??
      (imposed.approval ? policy.forcedApproval(imposed.approval) : undefined)
    );
  }

  /**
   * What `delete` would do to the request, checked as it would check it (a
   * permission refusal throws), without changing anything: a dry run.
   */
  async planDelete(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<DeletePlan> {
    const { store, types } = this.deps;
    const request = await loadRequest(store, id);
    await this.deps.authorizer.authorize(
      provisioningRequestDeletePermission,
      request,
      credentials,
    );
    const itself = {
      id: request.id,
      type: request.type,
      name: request.name,
      owner: request.owner,
    };
    const what = `${request.type} '${request.name}' of ${request.owner}`;
    const history =
      "the request's record, timeline and audit events (it stays readable, as deleted); the name becomes free for a new request";
    switch (request.state) {
      case 'deleting':
      case 'deleted':
      case 'rejected':
        return {
          outcome: 'nothing',
          summary: `Nothing to do: ${what} is ${request.state}`,
          deleted: [],
          retained: [history],
        };
      case 'pending-approval':
        return {
          outcome: 'withdraw',
          summary: `Would withdraw the request for ${what} before its approval; nothing was provisioned, so nothing is destroyed`,
          deleted: [],
          retained: [history],
        };
      case 'ready':
      case 'failed': {
        const waiting = request.activeOperation;
        if (waiting?.status === 'pending-approval') {
          return {
            outcome: 'refused',
            summary: `Would be refused: action '${waiting.action}' waits for an approval by ${waiting.approval?.group}; delete it once that is decided`,
            deleted: [],
            retained: [],
          };
        }
        // An environment deletes the resources attached to it first.
        const attached =
          request.type === ENVIRONMENT_TYPE
            ? await new StoreRequestLookup(store, types).listAttached(
                request.name,
              )
            : [];
        return {
          outcome: 'destroy',
          summary: `Would destroy ${what}${
            attached.length > 0
              ? ` and the ${attached.length} resource(s) attached to it`
              : ''
          } through its type's destroy step; this cannot be undone`,
          deleted: [
            itself,
            ...attached.map(({ request: attachedRequest }) => ({
              id: attachedRequest.id,
              type: attachedRequest.type,
              name: attachedRequest.name,
              owner: attachedRequest.owner,
            })),
          ],
          retained: [
            history,
            "whatever the type's own retention keeps for a while (see the type's description)",
          ],
        };
      }
      default:
        return {
          outcome: 'refused',
          summary: `Would be refused: ${what} is ${request.state}; delete it once it is ready or failed`,
          deleted: [],
          retained: [],
        };
    }
  }

  /**
   * Destroys the request's resource. Idempotent: deleting a request that is being
   * deleted, deleted or rejected returns it as it is. A request waiting for its
   * approval is withdrawn at once, since nothing was provisioned.
   */
  async delete(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<ProvisioningRequest> {
    const request = await loadRequest(this.deps.store, id);
    await this.deps.authorizer.authorize(
      provisioningRequestDeletePermission,
      request,
      credentials,
    );
    return this.apply(request, actorOf(credentials));
  }

  private async apply(
    request: ProvisioningRequest,
    by: string,
  ): Promise<ProvisioningRequest> {
    const { store } = this.deps;
    let updated: ProvisioningRequest | undefined;
    switch (request.state) {
      case 'deleting':
      case 'deleted':
      case 'rejected':
        return request;
      case 'pending-approval':
        updated = await store.transition(request.id, {
          from: ['pending-approval'],
          to: 'deleted',
          event: {
            type: 'deleted',
            message: `${by} withdrew the request before its approval; nothing was provisioned`,
            actor: by,
          },
        });
        break;
      case 'ready':
      case 'failed': {
        const waiting = request.activeOperation;
        if (waiting?.status === 'pending-approval') {
          throw new ConflictError(
            `Request ${request.id} has action '${waiting.action}' waiting for an approval by ${waiting.approval?.group}; delete it once that is decided`,
          );
        }
        updated = await store.transition(request.id, {
          from: ['ready', 'failed'],
          to: 'deleting',
          event: {
            type: 'delete-requested',
            message: `${by} asked to delete the resource`,
            actor: by,
          },
          enqueue: { kind: 'destroy', createdBy: by },
        });
        if (updated) {
          this.deps.onWorkQueued();
        }
        break;
      }
      default:
        throw new ConflictError(
          `Request ${request.id} is ${request.state}; delete it once it is ready or failed`,
        );
    }
    if (!updated) {
      return this.apply(await loadRequest(store, request.id), by);
    }
    return updated;
  }
}

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
import { loadRequest, ServiceDependencies } from './ServiceDependencies';
import { stepRequestOf } from './stepRequestOf';

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
    const approval = this.deps.policy.approvalForAction(
      { id: actionId, definition: action },
      validated,
      { request: stepRequestOf(request), outputs: request.outputs },
    );
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

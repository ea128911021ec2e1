import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  decisionBodySchema,
  ProvisioningOperation,
  ProvisioningRequest,
  provisioningRequestApprovePermission,
} from '@paved/plugin-provisioning-common';
import { actorOf, parseInput } from '@paved/backend-plugin-utils';
import { loadRequest, ServiceDependencies } from './ServiceDependencies';

type Decision = 'approved' | 'rejected';

/** The request after a decision, and the held day-2 action it was on, if any. */
export interface DecisionResult {
  request: ProvisioningRequest;
  action?: ProvisioningOperation;
}

/**
 * Approving and rejecting requests that a policy rule held for approval, and day-2
 * actions that their type held for one (the request's pending-approval operation).
 */
export class ApprovalService {
  constructor(private readonly deps: ServiceDependencies) {}

  approve(id: string, body: unknown, credentials: BackstageCredentials) {
    return this.decide(id, 'approved', body, credentials);
  }

  reject(id: string, body: unknown, credentials: BackstageCredentials) {
    return this.decide(id, 'rejected', body, credentials);
  }

  private async decide(
    id: string,
    decision: Decision,
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<DecisionResult> {
    const { comment } = parseInput(decisionBodySchema, body, 'decision');
    if (decision === 'rejected' && !comment?.trim()) {
      throw new InputError(
        'Invalid decision: comment: is required when rejecting',
      );
    }
    const request = await loadRequest(this.deps.store, id);
    const waiting = request.activeOperation;
    if (waiting?.status === 'pending-approval' && waiting.approval) {
      // The decision is on the action: its approvers are the action's.
      await this.deps.authorizer.authorize(
        provisioningRequestApprovePermission,
        { ...request, approval: waiting.approval },
        credentials,
      );
      return {
        request: await this.applyToAction(
          request,
          waiting,
          decision,
          comment,
          actorOf(credentials),
        ),
        action: waiting,
      };
    }
    const lastAction =
      request.state === 'pending-approval'
        ? undefined
        : await this.lastDecidedAction(request.id);
    // Repeating the decision on the request's last held action returns the request.
    if (lastAction?.approval?.decision === decision) {
      await this.deps.authorizer.authorize(
        provisioningRequestApprovePermission,
        { ...request, approval: lastAction.approval },
        credentials,
      );
      return { request, action: lastAction };
    }
    await this.deps.authorizer.authorize(
      provisioningRequestApprovePermission,
      request,
      credentials,
    );
    return {
      request: await this.apply(
        request,
        decision,
        comment,
        actorOf(credentials),
      ),
    };
  }

  /** The request's newest day-2 action that was held for an approval, if any. */
  private async lastDecidedAction(
    requestId: string,
  ): Promise<ProvisioningOperation | undefined> {
    const details = await this.deps.store.getRequestDetails(requestId);
    return details?.operations
      .filter(operation => operation.approval?.decision)
      .at(-1);
  }

  /** A day-2 action held for an approval: approved, it is queued; rejected, it ends. */
  private async applyToAction(
    request: ProvisioningRequest,
    operation: ProvisioningOperation,
    decision: Decision,
    comment: string | undefined,
    by: string,
  ): Promise<ProvisioningRequest> {
    const group = operation.approval?.group;
    if (operation.createdBy === by) {
      throw new NotAllowedError(
        `${by} asked for action '${operation.action}' on request ${request.id} and may not decide on it; another member of ${group} must`,
      );
    }
    const updated = await this.deps.store.decideOperation(
      request.id,
      operation.id,
      {
        decision,
        by,
        comment,
        event: {
          type: `action-${decision}`,
          message: `${by} ${decision} action '${operation.action}'${
            comment ? `: ${comment}` : ''
          }`,
          actor: by,
        },
      },
    );
    if (!updated) {
      // Someone else decided first: the same decision is answered as a repeat.
      const decided = (await this.lastDecidedAction(request.id))?.approval;
      if (decided?.decision === decision) {
        return loadRequest(this.deps.store, request.id);
      }
      throw new ConflictError(
        `Action '${operation.action}' on request ${request.id} was already ${
          decided?.decision ?? 'decided'
        } by ${decided?.decidedBy ?? 'someone else'}`,
      );
    }
    await this.deps.notifier?.notify(updated, {
      type: decision === 'approved' ? 'action-approved' : 'action-rejected',
      operation,
      by,
      comment,
    });
    if (decision === 'approved') {
      this.deps.onWorkQueued();
    }
    return updated;
  }

  private async apply(
    request: ProvisioningRequest,
    decision: Decision,
    comment: string | undefined,
    by: string,
  ): Promise<ProvisioningRequest> {
    const { approval } = request;
    // Repeating a decision returns the request as it is.
    if (approval?.decision === decision) {
      return request;
    }
    if (request.state !== 'pending-approval' || !approval) {
      throw new ConflictError(
        approval?.decision
          ? `Request ${request.id} was already ${approval.decision} by ${approval.decidedBy}`
          : `Request ${request.id} is ${request.state} and does not wait for an approval`,
      );
    }
    if (request.createdBy === by) {
      throw new NotAllowedError(
        `${by} made request ${request.id} and may not decide on it; another member of ${approval.group} must`,
      );
    }
    const updated = await this.deps.store.transition(request.id, {
      from: ['pending-approval'],
      to: decision === 'approved' ? 'provisioning' : 'rejected',
      decision: { decision, by, comment },
      event: {
        type: decision,
        message: `${by} ${decision} the request${
          comment ? `: ${comment}` : ''
        }`,
        actor: by,
      },
      enqueue:
        decision === 'approved'
          ? { kind: 'provision', createdBy: request.createdBy }
          : undefined,
    });
    if (!updated) {
      // Someone else decided first; answer as if this call came second.
      const current = await loadRequest(this.deps.store, request.id);
      return this.apply(current, decision, comment, by);
    }
    await this.deps.notifier?.notify(updated, {
      type: decision,
      by,
      comment,
    });
    if (decision === 'approved') {
      this.deps.onWorkQueued();
    }
    return updated;
  }
}

import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  decisionBodySchema,
  ProvisioningRequest,
  provisioningRequestApprovePermission,
} from '@paved/plugin-provisioning-common';
import { actorOf, parseInput } from '@paved/backend-plugin-utils';
import { loadRequest, ServiceDependencies } from './ServiceDependencies';

type Decision = 'approved' | 'rejected';

/** Approving and rejecting requests that a policy rule held for approval. */
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
  ): Promise<ProvisioningRequest> {
    const { comment } = parseInput(decisionBodySchema, body, 'decision');
    if (decision === 'rejected' && !comment?.trim()) {
      throw new InputError(
        'Invalid decision: comment: is required when rejecting',
      );
    }
    const request = await loadRequest(this.deps.store, id);
    await this.deps.authorizer.authorize(
      provisioningRequestApprovePermission,
      request,
      credentials,
    );
    return this.apply(request, decision, comment, actorOf(credentials));
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

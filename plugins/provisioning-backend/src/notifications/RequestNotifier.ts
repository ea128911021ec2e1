import { LoggerService } from '@backstage/backend-plugin-api';
import { stringifyError } from '@backstage/errors';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  ProvisioningOperation,
  ProvisioningRequest,
} from '@paved/plugin-provisioning-common';

/** A moment in a request's life that someone should hear about. */
export type RequestMilestone =
  | { type: 'needs-approval' }
  | { type: 'approved' | 'rejected'; by: string; comment?: string }
  /** A day-2 action (a production deploy) waits for the operation's approvers. */
  | { type: 'action-needs-approval'; operation: ProvisioningOperation }
  | {
      type: 'action-approved' | 'action-rejected';
      operation: ProvisioningOperation;
      by: string;
      comment?: string;
    }
  | { type: 'ready' | 'failed' | 'deleted' | 'action-failed'; reason?: string }
  | { type: 'expiring'; expiresAt: string }
  | { type: 'expired' };

/** Tells people about their requests. Best effort: never fails the caller. */
export interface RequestNotifier {
  notify(
    request: ProvisioningRequest,
    milestone: RequestMilestone,
  ): Promise<void>;
}

const TOPIC = 'self-service';

/**
 * Sends milestones through Backstage's notifications plugin: approvers hear that
 * a request waits for them; the requester and the owning team hear about
 * decisions, readiness and failures. Each links to the request's page.
 */
export class NotificationsRequestNotifier implements RequestNotifier {
  constructor(
    private readonly notifications: NotificationService,
    private readonly logger: LoggerService,
  ) {}

  async notify(
    request: ProvisioningRequest,
    milestone: RequestMilestone,
  ): Promise<void> {
    const what = `${request.type} '${request.name}'`;
    let link = `/self-service/requests/${encodeURIComponent(request.id)}`;
    const requesterAndOwner = [request.createdBy, request.owner].filter(ref =>
      /^(user|group):/.test(ref),
    );
    let message:
      | {
          to: string[];
          title: string;
          description?: string;
          severity: 'low' | 'normal' | 'high';
          exclude?: string;
        }
      | undefined;
    switch (milestone.type) {
      case 'needs-approval':
        message = request.approval && {
          to: [request.approval.group],
          title: `Approval needed: ${what} for ${request.owner}`,
          description: `${request.createdBy} asked; ${request.approval.reason}.`,
          severity: 'high',
          exclude: request.createdBy,
        };
        break;
      case 'approved':
      case 'rejected':
        message = {
          to: requesterAndOwner,
          title: `${what} was ${milestone.type} by ${milestone.by}`,
          description: milestone.comment,
          severity: milestone.type === 'rejected' ? 'high' : 'normal',
          exclude: milestone.by,
        };
        break;
      case 'action-needs-approval': {
        const { operation } = milestone;
        message = operation.approval && {
          to: [operation.approval.group],
          title: `Approval needed: action '${operation.action}' on ${what} of ${request.owner}`,
          description: `${operation.createdBy} asked; ${operation.approval.reason}.`,
          severity: 'high',
          exclude: operation.createdBy,
        };
        break;
      }
      case 'action-approved':
      case 'action-rejected': {
        const { operation } = milestone;
        const actionAsker = /^(user|group):/.test(operation.createdBy)
          ? [operation.createdBy]
          : [];
        message = {
          to: [...new Set([...actionAsker, request.owner])],
          title: `Action '${operation.action}' on ${what} was ${
            milestone.type === 'action-approved' ? 'approved' : 'rejected'
          } by ${milestone.by}`,
          description: milestone.comment,
          severity: milestone.type === 'action-rejected' ? 'high' : 'normal',
          exclude: milestone.by,
        };
        break;
      }
      case 'ready':
        message = {
          to: requesterAndOwner,
          title: `${what} is ready`,
          description: 'Its page says where the credentials are.',
          severity: 'normal',
        };
        break;
      case 'failed':
      case 'action-failed':
        message = {
          to: requesterAndOwner,
          title:
            milestone.type === 'failed'
              ? `${what} failed`
              : `An action on ${what} failed`,
          description: milestone.reason,
          severity: 'high',
        };
        break;
      case 'expiring':
        // The page opened from the notification offers to extend the resource.
        link = `${link}?extend=1`;
        message = {
          to: requesterAndOwner,
          title: `${what} expires at ${milestone.expiresAt}`,
          description:
            'Nobody has used it for a while. Open it to extend it; otherwise it is torn down then.',
          severity: 'high',
        };
        break;
      case 'expired':
        message = {
          to: requesterAndOwner,
          title: `${what} expired and is being torn down`,
          severity: 'normal',
        };
        break;
      default:
        message = {
          to: [request.owner],
          title: `${what} was deleted`,
          severity: 'low',
        };
    }
    if (!message || message.to.length === 0) {
      return;
    }
    try {
      await this.notifications.send({
        recipients: {
          type: 'entity',
          entityRef: message.to,
          ...(message.exclude ? { excludeEntityRef: message.exclude } : {}),
        },
        payload: {
          title: message.title,
          description: message.description,
          link,
          severity: message.severity,
          topic: TOPIC,
          scope: `provisioning-request:${request.id}`,
        },
      });
    } catch (error) {
      // A notification that cannot be sent must not undo or fail the work.
      this.logger.warn(
        `Could not notify about request ${request.id} (${
          milestone.type
        }): ${stringifyError(error)}`,
      );
    }
  }
}

import { JsonObject } from '@backstage/types';
import type { RequestApproval } from './requests';

/** What an operation does to its request's resource. @public */
export type OperationKind = 'provision' | 'action' | 'destroy';

/**
 * - `pending-approval`: a day-2 action that its type holds for an approval (see
 *   `approval`); no worker runs it until an approver approves it, and a rejection
 *   ends it `failed`. It still counts as the request's one unfinished operation.
 * - `queued`: due at `nextAttemptAt` (a first attempt or a retry after backoff).
 * - `running`: a worker holds its lease.
 * - `succeeded` / `failed`: final.
 *
 * @public
 */
export type OperationStatus =
  | 'pending-approval'
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed';

/**
 * One unit of durable work on a request: provisioning it, a day-2 action, or
 * destroying it. A request has at most one operation that is pending approval,
 * queued or running.
 *
 * @public
 */
export interface ProvisioningOperation {
  id: string;
  requestId: string;
  kind: OperationKind;
  /** The day-2 action's id, for `kind: 'action'`. */
  action?: string;
  /** The day-2 action's input, validated against its schema. */
  input: JsonObject;
  status: OperationStatus;
  /** The step that runs (or ran) last, e.g. `provision` or `observe`. */
  step?: string;
  attempts: number;
  lastError?: string;
  nextAttemptAt?: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** Why a day-2 action needs (or needed) an approval, and the decision on it. */
  approval?: RequestApproval;
}

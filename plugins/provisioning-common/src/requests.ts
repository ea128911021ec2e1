import { JsonObject } from '@backstage/types';
import { ProvisioningEvent } from './events';
import { ProvisioningOperation } from './operations';

/**
 * Where a request is in its life.
 *
 * - `pending-approval`: a policy rule asked for an approval; nothing is provisioned.
 * - `provisioning`: the worker is running (or retrying) the type's provision steps.
 * - `ready`: provisioned; day-2 actions and deletion are possible. A day-2 action
 *   that waits for its approval leaves the request `ready`, as its
 *   `activeOperation` with status `pending-approval`.
 * - `updating`: a day-2 action is running; the request returns to `ready` afterwards.
 * - `failed`: provisioning or destruction gave up; `lastError` says why. Delete to clean up.
 * - `rejected`: an approver said no. Final; the name is free again.
 * - `deleting`: the worker is running the type's destroy step.
 * - `deleted`: destroyed. Final; the name is free again.
 *
 * @public
 */
export type RequestState =
  | 'pending-approval'
  | 'provisioning'
  | 'ready'
  | 'updating'
  | 'failed'
  | 'rejected'
  | 'deleting'
  | 'deleted';

/** Every {@link RequestState}, in life-cycle order. @public */
export const REQUEST_STATES: readonly RequestState[] = [
  'pending-approval',
  'provisioning',
  'ready',
  'updating',
  'failed',
  'rejected',
  'deleting',
  'deleted',
];

/**
 * States whose requests hold their name and count against their owner's quota.
 *
 * @public
 */
export const ACTIVE_REQUEST_STATES: readonly RequestState[] =
  REQUEST_STATES.filter(state => state !== 'rejected' && state !== 'deleted');

/**
 * Why a request needs (or needed) an approval, who may give it, and what they said.
 *
 * @public
 */
export interface RequestApproval {
  /** The group whose members may approve, e.g. `group:default/platform-team`. */
  group: string;
  /** The policy rule that asked for it, e.g. `rule 'production': parameters.environment is 'production'`. */
  reason: string;
  decision?: 'approved' | 'rejected';
  decidedBy?: string;
  comment?: string;
  decidedAt?: string;
}

/**
 * A request for one resource of a registered type, as stored and served by the API.
 *
 * @public
 */
export interface ProvisioningRequest {
  id: string;
  /** The resource type's id, e.g. `postgres`. */
  type: string;
  /** Unique among the active requests of one owner and type. */
  name: string;
  /** The owning group's entity ref, e.g. `group:default/payments-team`. */
  owner: string;
  /** The parameters as validated against the type's schema, with defaults applied. */
  parameters: JsonObject;
  state: RequestState;
  /** Non-secret outputs the type's steps recorded, e.g. a host name. */
  outputs: JsonObject;
  /** The user (or service) that made the request. */
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  lastError?: string;
  /**
   * When the resource is destroyed unless someone uses it (a day-2 action, a visit
   * of its page, an extension); absent for resources that do not expire.
   */
  expiresAt?: string;
  approval?: RequestApproval;
  /** The operation the worker is running or will run next, or that waits for an approval, if any. */
  activeOperation?: ProvisioningOperation;
}

/**
 * A request with its timeline and operations, as `GET /requests/:id` returns it.
 *
 * @public
 */
export interface ProvisioningRequestDetails extends ProvisioningRequest {
  timeline: ProvisioningEvent[];
  operations: ProvisioningOperation[];
}

import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import {
  OperationKind,
  ProvisioningOperation,
  ProvisioningRequest,
  ProvisioningRequestDetails,
  RequestState,
} from '@paved/plugin-provisioning-common';
import { NewEvent } from './rows';

/** A permission condition translated for the store: a column must be one of `values`. */
export interface RequestQuery {
  column: 'owner' | 'approval_group';
  values: string[];
}

export interface NewRequest {
  type: string;
  name: string;
  owner: string;
  parameters: JsonObject;
  createdBy: string;
  quotaCost: number;
  /** With an approval the request waits in `pending-approval`; otherwise provisioning is queued. */
  approval?: { group: string; reason: string };
  /** The owner's quota for the type, if any; checked in the same transaction as the insert. */
  quotaMax?: number;
  /** How long the resource lives without activity; it does not expire if absent. */
  ttlMs?: number;
}

export type CreateRequestResult =
  | { outcome: 'created'; request: ProvisioningRequest }
  /** An active request with the same type, owner and name exists. */
  | { outcome: 'existing'; request: ProvisioningRequest }
  | { outcome: 'quota-exceeded'; used: number }
  /** Another owner's or type's active request has the name (names are global). */
  | { outcome: 'name-taken'; holder: ProvisioningRequest };

export interface NewOperation {
  kind: OperationKind;
  action?: string;
  input?: JsonObject;
  idempotencyKey?: string;
  createdBy: string;
  /**
   * With an approval the operation (a day-2 action) waits in `pending-approval`,
   * unclaimed by workers, and still holds the request's one unfinished slot.
   */
  approval?: { group: string; reason: string };
}

/** An approver's decision on a day-2 action waiting for its approval. */
export interface OperationDecision {
  decision: 'approved' | 'rejected';
  by: string;
  comment?: string;
  event: NewEvent;
}

/** A compare-and-set on a request's state, with what else changes with it. */
export interface RequestTransition {
  from: readonly RequestState[];
  to: RequestState;
  event: NewEvent;
  decision?: {
    decision: 'approved' | 'rejected';
    by: string;
    comment?: string;
  };
  /** Queued in the same transaction; fails with a ConflictError if one is unfinished. */
  enqueue?: NewOperation;
}

export interface RequestFilter {
  /** Requests of any of these owners. */
  owners?: string[];
  type?: string;
  name?: string;
  states?: RequestState[];
  approvalGroup?: string;
  /** What the caller may read, from a conditional read decision. */
  permission?: PermissionCriteria<RequestQuery>;
  limit: number;
  offset: number;
}

/** Requests as the API reads and changes them. The worker uses `OperationQueue`. */
export interface RequestStore {
  /** Inserts the request (and its provision operation) unless an active one has its name. */
  createRequest(input: NewRequest): Promise<CreateRequestResult>;
  getRequest(id: string): Promise<ProvisioningRequest | undefined>;
  getRequests(ids: string[]): Promise<Array<ProvisioningRequest | undefined>>;
  getRequestDetails(
    id: string,
  ): Promise<ProvisioningRequestDetails | undefined>;
  listRequests(
    filter: RequestFilter,
  ): Promise<{ items: ProvisioningRequest[]; totalCount: number }>;
  /** The changed request, or undefined when its state was not in `from`. */
  transition(
    id: string,
    transition: RequestTransition,
  ): Promise<ProvisioningRequest | undefined>;
  /**
   * Approved: the operation is queued and its request moves to `updating`.
   * Rejected: the operation ends `failed` and the request stays as it is. Undefined
   * when the operation does not wait for an approval (any more).
   */
  decideOperation(
    requestId: string,
    operationId: string,
    decision: OperationDecision,
  ): Promise<ProvisioningRequest | undefined>;
  findOperationByIdempotencyKey(
    requestId: string,
    key: string,
  ): Promise<ProvisioningOperation | undefined>;
  /** The active request of the type with the name, or undefined. */
  findActiveByTypeAndName(
    type: string,
    name: string,
  ): Promise<ProvisioningRequest | undefined>;
  /** The active request that holds the name, of any type and owner (names are global). */
  findNameHolder(name: string): Promise<ProvisioningRequest | undefined>;
  /** The quota the owner's active requests of the type use, as `createRequest` counts it. */
  quotaUsed(owner: string, type: string): Promise<number>;
  /** Every active request of the type, oldest first. */
  listActiveOfType(type: string): Promise<ProvisioningRequest[]>;
  /** Appends an event to the request's timeline. */
  addEvent(id: string, event: NewEvent): Promise<void>;
}

/**
 * The expiry of resources with a lifetime: activity moves it on, owners are warned
 * once before it, and the expired ones are destroyed.
 */
export interface ExpiryStore {
  /**
   * Moves the expiry of an active expiring request to at least `now + its TTL` and
   * clears the warning; nothing for requests that do not expire.
   */
  recordActivity(id: string): Promise<void>;
  /** Sets the expiry to `until` (ms since the epoch), with an `extended` event. */
  extend(id: string, until: number, by: string): Promise<ProvisioningRequest>;
  /** Ready requests expiring before `before` whose owners were not warned yet. */
  listUnwarnedExpiringBefore(before: number): Promise<ProvisioningRequest[]>;
  markExpiryWarned(id: string): Promise<void>;
  /** Ready or failed requests past their expiry, with no operation running. */
  listExpired(limit: number): Promise<ProvisioningRequest[]>;
}

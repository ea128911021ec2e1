import { JsonObject } from '@backstage/types';
import {
  OperationKind,
  OperationStatus,
  ProvisioningEvent,
  ProvisioningOperation,
  ProvisioningRequest,
  RequestState,
} from '@paved/plugin-provisioning-common';
import { Knex } from 'knex';

export const REQUESTS = 'provisioning_requests';
export const OPERATIONS = 'provisioning_operations';
export const EVENTS = 'provisioning_events';
export const CHECKPOINTS = 'provisioning_checkpoints';

/** Postgres returns bigint columns as strings; SQLite as numbers. */
type Millis = number | string;

export interface RequestRow {
  id: string;
  type: string;
  name: string;
  owner: string;
  active_name: string | null;
  parameters: string;
  outputs: string;
  state: RequestState;
  quota_cost: number;
  created_by: string;
  approval_group: string | null;
  approval_reason: string | null;
  decision: 'approved' | 'rejected' | null;
  decided_by: string | null;
  decision_comment: string | null;
  decided_at: Millis | null;
  last_error: string | null;
  created_at: Millis;
  updated_at: Millis;
  expires_at: Millis | null;
  ttl_ms: Millis | null;
  expiry_warned_at: Millis | null;
}

export interface OperationRow {
  id: string;
  request_id: string;
  active_request_id: string | null;
  kind: OperationKind;
  action: string | null;
  input: string;
  idempotency_key: string | null;
  status: OperationStatus;
  step: string | null;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Millis;
  lease_owner: string | null;
  lease_expires_at: Millis | null;
  created_by: string;
  created_at: Millis;
  updated_at: Millis;
  finished_at: Millis | null;
  /** Set for a day-2 action that needs an approval (migration 20261201010000). */
  approval_group?: string | null;
  approval_reason?: string | null;
  decision?: 'approved' | 'rejected' | null;
  decided_by?: string | null;
  decision_comment?: string | null;
  decided_at?: Millis | null;
}

export interface EventRow {
  id: number;
  request_id: string;
  operation_id: string | null;
  type: string;
  message: string;
  actor: string | null;
  created_at: Millis;
}

/** An event to append to a request's timeline. */
export interface NewEvent {
  type: string;
  message: string;
  actor?: string;
  operationId?: string;
}

const iso = (ms: Millis) => new Date(Number(ms)).toISOString();
const optional = <T>(value: T | null): T | undefined => value ?? undefined;

export function toOperation(row: OperationRow): ProvisioningOperation {
  return {
    id: row.id,
    requestId: row.request_id,
    kind: row.kind,
    action: optional(row.action),
    input: JSON.parse(row.input) as JsonObject,
    status: row.status,
    step: optional(row.step),
    attempts: Number(row.attempts),
    lastError: optional(row.last_error),
    nextAttemptAt:
      row.status === 'queued' ? iso(row.next_attempt_at) : undefined,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    finishedAt: row.finished_at === null ? undefined : iso(row.finished_at),
    approval: row.approval_group
      ? {
          group: row.approval_group,
          reason: row.approval_reason ?? '',
          decision: optional(row.decision ?? null),
          decidedBy: optional(row.decided_by ?? null),
          comment: optional(row.decision_comment ?? null),
          decidedAt: row.decided_at ? iso(row.decided_at) : undefined,
        }
      : undefined,
  };
}

export function toRequest(
  row: RequestRow,
  activeOperation?: OperationRow,
): ProvisioningRequest {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    owner: row.owner,
    parameters: JSON.parse(row.parameters) as JsonObject,
    state: row.state,
    outputs: JSON.parse(row.outputs) as JsonObject,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    lastError: optional(row.last_error),
    expiresAt:
      row.expires_at === null || row.expires_at === undefined
        ? undefined
        : iso(row.expires_at),
    approval: row.approval_group
      ? {
          group: row.approval_group,
          reason: row.approval_reason ?? '',
          decision: optional(row.decision),
          decidedBy: optional(row.decided_by),
          comment: optional(row.decision_comment),
          decidedAt: row.decided_at === null ? undefined : iso(row.decided_at),
        }
      : undefined,
    activeOperation: activeOperation ? toOperation(activeOperation) : undefined,
  };
}

export function toEvent(row: EventRow): ProvisioningEvent {
  return {
    id: Number(row.id),
    requestId: row.request_id,
    operationId: optional(row.operation_id),
    type: row.type,
    message: row.message,
    actor: optional(row.actor),
    createdAt: iso(row.created_at),
  };
}

export function eventRow(
  requestId: string,
  event: NewEvent,
  now: number,
): Omit<EventRow, 'id'> {
  return {
    request_id: requestId,
    operation_id: event.operationId ?? null,
    type: event.type,
    message: event.message,
    actor: event.actor ?? null,
    created_at: now,
  };
}

export function isPostgres(knex: Knex): boolean {
  return knex.client.config.client === 'pg';
}

import { CustomErrorBase } from '@backstage/errors';
import { JsonObject, JsonValue } from '@backstage/types';
import {
  ProvisioningOperation,
  ProvisioningRequest,
  RequestState,
} from '@paved/plugin-provisioning-common';
import { NewEvent } from './rows';

/** A worker's hold on one operation; every write of the worker names it. */
export interface Lease {
  operationId: string;
  requestId: string;
  workerId: string;
}

export interface ClaimedOperation {
  lease: Lease;
  operation: ProvisioningOperation;
  request: ProvisioningRequest;
}

/**
 * The worker no longer holds the lease (it expired and another worker claimed the
 * operation, or the operation finished): the write was refused.
 */
export class LeaseLostError extends CustomErrorBase {
  name = 'LeaseLostError' as const;
}

export interface OperationOutcome {
  status: 'succeeded' | 'failed';
  requestState: RequestState;
  lastError?: string;
  event: NewEvent;
}

/**
 * The operations table as the worker uses it: a durable queue with leases. Every
 * write after `claim` is fenced: it succeeds only while the lease is the caller's,
 * and otherwise throws {@link LeaseLostError}.
 */
export interface OperationQueue {
  /** Operations that are due and not leased (or whose lease expired), oldest first. */
  findDue(limit: number): Promise<string[]>;
  /**
   * Compare-and-set: leases the operation to `workerId` and counts an attempt, unless
   * another worker holds an unexpired lease on it. Undefined when it lost the race.
   */
  claim(
    operationId: string,
    workerId: string,
    leaseMs: number,
  ): Promise<ClaimedOperation | undefined>;
  /** False when the lease is lost. */
  extendLease(lease: Lease, leaseMs: number): Promise<boolean>;
  startStep(lease: Lease, step: string, event: NewEvent): Promise<void>;
  getCheckpoint(
    lease: Lease,
    key: string,
  ): Promise<{ value: JsonValue | undefined } | undefined>;
  saveCheckpoint(
    lease: Lease,
    key: string,
    value: JsonValue | undefined,
  ): Promise<void>;
  /** Merges `outputs` into the request's outputs, in one write however many there are. */
  setOutputs(lease: Lease, outputs: JsonObject): Promise<void>;
  /** Gives the operation back to the queue, due after `delayMs`. */
  requeue(
    lease: Lease,
    options: {
      delayMs: number;
      /** The attempt does not count (a poll that found the resource not ready yet, a shutdown). */
      refundAttempt: boolean;
      lastError?: string;
      event: NewEvent;
    },
  ): Promise<void>;
  /** Ends the operation and moves its request to `requestState`. */
  finish(lease: Lease, outcome: OperationOutcome): Promise<void>;
}

import { JsonObject, JsonValue } from '@backstage/types';
import { ACTIVE_REQUEST_STATES } from '@paved/plugin-provisioning-common';
import { Knex } from 'knex';
import { Clock } from '../clock';
import {
  ClaimedOperation,
  Lease,
  LeaseLostError,
  OperationOutcome,
  OperationQueue,
} from './OperationQueue';
import {
  CHECKPOINTS,
  EVENTS,
  eventRow,
  NewEvent,
  OPERATIONS,
  OperationRow,
  REQUESTS,
  RequestRow,
  toOperation,
  toRequest,
} from './rows';

const UNFINISHED = ['queued', 'running'];

/** {@link OperationQueue} on the plugin's knex database (Postgres or SQLite). */
export class DatabaseOperationQueue implements OperationQueue {
  static create(options: { knex: Knex; clock: Clock }): DatabaseOperationQueue {
    return new DatabaseOperationQueue(options.knex, options.clock);
  }

  private constructor(
    private readonly knex: Knex,
    private readonly clock: Clock,
  ) {}

  async findDue(limit: number): Promise<string[]> {
    const now = this.clock.now();
    const rows = await this.knex<OperationRow>(OPERATIONS)
      .select('id')
      .whereIn('status', UNFINISHED)
      .where('next_attempt_at', '<=', now)
      .where(lease =>
        lease
          .whereNull('lease_expires_at')
          .orWhere('lease_expires_at', '<', now),
      )
      .orderBy('next_attempt_at', 'asc')
      .limit(limit);
    return rows.map(row => row.id);
  }

  async claim(
    operationId: string,
    workerId: string,
    leaseMs: number,
  ): Promise<ClaimedOperation | undefined> {
    return this.knex.transaction(async tx => {
      const now = this.clock.now();
      const before = await tx<OperationRow>(OPERATIONS)
        .where({ id: operationId })
        .first();
      // The compare-and-set: of two workers that both saw the operation due, the
      // database lets exactly one update it (Postgres re-checks the WHERE after the
      // other's row lock is released, SQLite has one writer).
      const claimed = await tx<OperationRow>(OPERATIONS)
        .where({ id: operationId })
        .whereIn('status', UNFINISHED)
        .where('next_attempt_at', '<=', now)
        .where(lease =>
          lease
            .whereNull('lease_expires_at')
            .orWhere('lease_expires_at', '<', now),
        )
        .update({
          status: 'running',
          lease_owner: workerId,
          lease_expires_at: now + leaseMs,
          attempts: tx.raw('attempts + 1'),
          updated_at: now,
        });
      if (claimed === 0 || !before) {
        return undefined;
      }
      const row = (await tx<OperationRow>(OPERATIONS)
        .where({ id: operationId })
        .first())!;
      if (before.status === 'running' && before.lease_owner) {
        await tx(EVENTS).insert(
          eventRow(
            row.request_id,
            {
              type: 'resumed',
              message: `Worker ${
                before.lease_owner
              } stopped renewing its lease; resuming step '${
                row.step ?? 'start'
              }' (attempt ${row.attempts})`,
              actor: `worker:${workerId}`,
              operationId,
            },
            now,
          ),
        );
      }
      const request = (await tx<RequestRow>(REQUESTS)
        .where({ id: row.request_id })
        .first())!;
      return {
        lease: { operationId, requestId: row.request_id, workerId },
        operation: toOperation(row),
        request: toRequest(request, row),
      };
    });
  }

  async extendLease(lease: Lease, leaseMs: number): Promise<boolean> {
    const now = this.clock.now();
    const updated = await this.knex<OperationRow>(OPERATIONS)
      .where({
        id: lease.operationId,
        lease_owner: lease.workerId,
        status: 'running',
      })
      .update({ lease_expires_at: now + leaseMs });
    return updated > 0;
  }

  async startStep(lease: Lease, step: string, event: NewEvent): Promise<void> {
    await this.fenced(
      lease,
      (tx, now) => this.addEvent(tx, lease, event, now),
      () => ({ step }),
    );
  }

  async getCheckpoint(
    lease: Lease,
    key: string,
  ): Promise<{ value: JsonValue | undefined } | undefined> {
    const row = await this.knex(CHECKPOINTS)
      .where({ operation_id: lease.operationId, key })
      .first();
    return row
      ? (JSON.parse(row.value) as { value: JsonValue | undefined })
      : undefined;
  }

  async saveCheckpoint(
    lease: Lease,
    key: string,
    value: JsonValue | undefined,
  ): Promise<void> {
    await this.fenced(lease, async (tx, now) => {
      await tx(CHECKPOINTS)
        .insert({
          operation_id: lease.operationId,
          key,
          value: JSON.stringify({ value }),
          created_at: now,
        })
        .onConflict(['operation_id', 'key'])
        .merge(['value', 'created_at']);
    });
  }

  async setOutputs(lease: Lease, outputs: JsonObject): Promise<void> {
    await this.fenced(lease, async (tx, now) => {
      const row = await tx<RequestRow>(REQUESTS)
        .where({ id: lease.requestId })
        .first('outputs');
      const stored = JSON.parse(row?.outputs ?? '{}') as JsonObject;
      await tx<RequestRow>(REQUESTS)
        .where({ id: lease.requestId })
        .update({
          outputs: JSON.stringify({ ...stored, ...outputs }),
          updated_at: now,
        });
    });
  }

  async requeue(
    lease: Lease,
    options: {
      delayMs: number;
      refundAttempt: boolean;
      lastError?: string;
      event: NewEvent;
    },
  ): Promise<void> {
    await this.fenced(
      lease,
      (tx, now) => this.addEvent(tx, lease, options.event, now),
      (now, tx) => ({
        status: 'queued',
        lease_owner: null,
        lease_expires_at: null,
        next_attempt_at: now + options.delayMs,
        ...(options.refundAttempt ? { attempts: tx.raw('attempts - 1') } : {}),
        ...(options.lastError !== undefined
          ? { last_error: options.lastError }
          : {}),
      }),
    );
  }

  async finish(lease: Lease, outcome: OperationOutcome): Promise<void> {
    await this.fenced(
      lease,
      async (tx, now) => {
        await tx<RequestRow>(REQUESTS)
          .where({ id: lease.requestId })
          .update({
            state: outcome.requestState,
            last_error: outcome.lastError ?? null,
            updated_at: now,
            ...(ACTIVE_REQUEST_STATES.includes(outcome.requestState)
              ? {}
              : { active_name: null }),
          });
        await this.addEvent(tx, lease, outcome.event, now);
      },
      now => ({
        status: outcome.status,
        active_request_id: null,
        lease_owner: null,
        lease_expires_at: null,
        finished_at: now,
        last_error: outcome.lastError ?? null,
      }),
    );
  }

  /**
   * Runs `fn` in a transaction that first updates the operation's row (with
   * `changes`, if any) on condition that the lease is still the caller's: the check
   * and the operation's own change are one statement, so that each write costs one
   * round trip less. The row lock this takes on Postgres holds off a concurrent
   * claim until the write is committed.
   */
  private async fenced(
    lease: Lease,
    fn: (tx: Knex.Transaction, now: number) => Promise<void>,
    changes?: (now: number, tx: Knex.Transaction) => Record<string, unknown>,
  ): Promise<void> {
    await this.knex.transaction(async tx => {
      const now = this.clock.now();
      const held = await tx(OPERATIONS)
        .where({
          id: lease.operationId,
          lease_owner: lease.workerId,
          status: 'running',
        })
        .update({ updated_at: now, ...changes?.(now, tx) });
      if (held === 0) {
        throw new LeaseLostError(
          `Worker ${lease.workerId} no longer holds the lease on operation ${lease.operationId}`,
        );
      }
      await fn(tx, now);
    });
  }

  private async addEvent(
    tx: Knex.Transaction,
    lease: Lease,
    event: NewEvent,
    now: number,
  ): Promise<void> {
    await tx(EVENTS).insert(
      eventRow(
        lease.requestId,
        {
          actor: `worker:${lease.workerId}`,
          operationId: lease.operationId,
          ...event,
        },
        now,
      ),
    );
  }
}

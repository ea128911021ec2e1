import { isDatabaseConflictError } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  ACTIVE_REQUEST_STATES,
  ProvisioningOperation,
  ProvisioningRequest,
  ProvisioningRequestDetails,
} from '@paved/plugin-provisioning-common';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { Clock } from '../clock';
import { applyPermissionCriteria } from './applyPermissionCriteria';
import {
  CreateRequestResult,
  ExpiryStore,
  NewOperation,
  NewRequest,
  OperationDecision,
  RequestFilter,
  RequestStore,
  RequestTransition,
} from './RequestStore';
import {
  EVENTS,
  EventRow,
  eventRow,
  isPostgres,
  OPERATIONS,
  OperationRow,
  REQUESTS,
  RequestRow,
  toEvent,
  toOperation,
  toRequest,
  NewEvent,
} from './rows';

/** {@link RequestStore} on the plugin's knex database (Postgres or SQLite). */
export class DatabaseRequestStore implements RequestStore, ExpiryStore {
  static create(options: { knex: Knex; clock: Clock }): DatabaseRequestStore {
    return new DatabaseRequestStore(options.knex, options.clock);
  }

  private constructor(
    private readonly knex: Knex,
    private readonly clock: Clock,
  ) {}

  async createRequest(input: NewRequest): Promise<CreateRequestResult> {
    try {
      return await this.knex.transaction(tx => this.insert(tx, input));
    } catch (error) {
      // Two requests for one name raced past the lookups; a unique index kept one.
      if (isDatabaseConflictError(error)) {
        const existing = await this.findActive(this.knex, input);
        if (existing) {
          return { outcome: 'existing', request: existing };
        }
        const holder = await this.findActiveByName(this.knex, input.name);
        if (holder) {
          return { outcome: 'name-taken', holder };
        }
      }
      throw error;
    }
  }

  private async insert(
    tx: Knex.Transaction,
    input: NewRequest,
  ): Promise<CreateRequestResult> {
    if (isPostgres(this.knex)) {
      // Serialises creations per owner and type, so that concurrent requests can
      // neither exceed the quota nor both pass the name lookup. (SQLite has one writer.)
      await tx.raw('select pg_advisory_xact_lock(hashtext(?))', [
        `provisioning:${input.type}:${input.owner}`,
      ]);
    }
    const existing = await this.findActive(tx, input);
    if (existing) {
      return { outcome: 'existing', request: existing };
    }
    if (isPostgres(this.knex)) {
      // Names are global: serialise creations of one name across owners and types.
      // Always taken after the owner's lock above, so that two locks never cross.
      await tx.raw('select pg_advisory_xact_lock(hashtext(?))', [
        `provisioning-name:${input.name}`,
      ]);
    }
    const holder = await this.findActiveByName(tx, input.name);
    if (holder) {
      return { outcome: 'name-taken', holder };
    }
    if (input.quotaMax !== undefined) {
      const used = await this.sumQuota(tx, input.owner, input.type);
      if (used + input.quotaCost > input.quotaMax) {
        return { outcome: 'quota-exceeded', used };
      }
    }
    const now = this.clock.now();
    const row: RequestRow = {
      id: randomUUID(),
      type: input.type,
      name: input.name,
      owner: input.owner,
      active_name: input.name,
      parameters: JSON.stringify(input.parameters),
      outputs: '{}',
      state: input.approval ? 'pending-approval' : 'provisioning',
      quota_cost: input.quotaCost,
      created_by: input.createdBy,
      approval_group: input.approval?.group ?? null,
      approval_reason: input.approval?.reason ?? null,
      decision: null,
      decided_by: null,
      decision_comment: null,
      decided_at: null,
      last_error: null,
      created_at: now,
      updated_at: now,
      expires_at: input.ttlMs === undefined ? null : now + input.ttlMs,
      ttl_ms: input.ttlMs ?? null,
      expiry_warned_at: null,
    };
    const { id } = row;
    await tx<RequestRow>(REQUESTS).insert(row);
    await tx(EVENTS).insert(
      eventRow(
        id,
        {
          type: 'requested',
          message: `${input.createdBy} requested ${input.type} '${input.name}' for ${input.owner}`,
          actor: input.createdBy,
        },
        now,
      ),
    );
    let operation: OperationRow | undefined;
    if (input.approval) {
      await tx(EVENTS).insert(
        eventRow(
          id,
          {
            type: 'approval-required',
            message: `Needs an approval from ${input.approval.group}: ${input.approval.reason}`,
          },
          now,
        ),
      );
    } else {
      operation = await this.enqueue(
        tx,
        id,
        { kind: 'provision', createdBy: input.createdBy },
        now,
      );
    }
    // Made from the rows just written rather than read back: this is the API's
    // busiest write, and every column is known.
    return { outcome: 'created', request: toRequest(row, operation) };
  }

  async findNameHolder(name: string): Promise<ProvisioningRequest | undefined> {
    return this.findActiveByName(this.knex, name);
  }

  async quotaUsed(owner: string, type: string): Promise<number> {
    return this.sumQuota(this.knex, owner, type);
  }

  /** One count for `createRequest` and plans, so that a plan's figure is create's. */
  private async sumQuota(
    db: Knex | Knex.Transaction,
    owner: string,
    type: string,
  ): Promise<number> {
    const [{ used }] = await db<RequestRow>(REQUESTS)
      .where({ owner, type })
      .whereIn('state', ACTIVE_REQUEST_STATES)
      .sum({ used: 'quota_cost' });
    return Number(used ?? 0);
  }

  private async findActiveByName(
    db: Knex | Knex.Transaction,
    name: string,
  ): Promise<ProvisioningRequest | undefined> {
    const row = await db<RequestRow>(REQUESTS)
      .where({ active_name: name })
      .first('id');
    return row ? this.read(db, row.id) : undefined;
  }

  async getRequest(id: string): Promise<ProvisioningRequest | undefined> {
    return this.read(this.knex, id);
  }

  async getRequests(
    ids: string[],
  ): Promise<Array<ProvisioningRequest | undefined>> {
    const rows = await this.knex<RequestRow>(REQUESTS).whereIn('id', ids);
    const requests = await this.withActiveOperations(this.knex, rows);
    return ids.map(id => requests.find(request => request.id === id));
  }

  async getRequestDetails(
    id: string,
  ): Promise<ProvisioningRequestDetails | undefined> {
    // Three queries, not four: the active operation is one of the request's. The
    // API's most frequent read (pages poll it while a request is busy).
    const row = await this.knex<RequestRow>(REQUESTS).where({ id }).first();
    if (!row) {
      return undefined;
    }
    const [events, operations] = await Promise.all([
      this.knex<EventRow>(EVENTS)
        .where({ request_id: id })
        .orderBy('id', 'asc'),
      this.knex<OperationRow>(OPERATIONS)
        .where({ request_id: id })
        .orderBy([
          { column: 'created_at', order: 'asc' },
          { column: 'id', order: 'asc' },
        ]),
    ]);
    return {
      ...toRequest(
        row,
        operations.find(operation => operation.active_request_id === id),
      ),
      timeline: events.map(toEvent),
      operations: operations.map(toOperation),
    };
  }

  async listRequests(
    filter: RequestFilter,
  ): Promise<{ items: ProvisioningRequest[]; totalCount: number }> {
    const query = this.knex<RequestRow>(REQUESTS);
    if (filter.owners?.length) query.whereIn('owner', filter.owners);
    if (filter.type) query.where('type', filter.type);
    if (filter.name) query.where('name', filter.name);
    if (filter.states?.length) query.whereIn('state', filter.states);
    if (filter.approvalGroup)
      query.where('approval_group', filter.approvalGroup);
    if (filter.permission) applyPermissionCriteria(query, filter.permission);

    const [{ count }] = await query.clone().count({ count: '*' });
    const rows = await query
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(filter.limit)
      .offset(filter.offset);
    return {
      items: await this.withActiveOperations(this.knex, rows),
      totalCount: Number(count),
    };
  }

  async transition(
    id: string,
    transition: RequestTransition,
  ): Promise<ProvisioningRequest | undefined> {
    return this.knex.transaction(async tx => {
      const now = this.clock.now();
      const updated = await tx<RequestRow>(REQUESTS)
        .where({ id })
        .whereIn('state', transition.from)
        .update({
          state: transition.to,
          updated_at: now,
          ...(ACTIVE_REQUEST_STATES.includes(transition.to)
            ? {}
            : { active_name: null }),
          ...(transition.decision
            ? {
                decision: transition.decision.decision,
                decided_by: transition.decision.by,
                decision_comment: transition.decision.comment ?? null,
                decided_at: now,
              }
            : {}),
        });
      if (updated === 0) {
        return undefined;
      }
      await tx(EVENTS).insert(eventRow(id, transition.event, now));
      if (transition.enqueue) {
        await this.enqueue(tx, id, transition.enqueue, now);
      }
      return this.read(tx, id);
    });
  }

  async decideOperation(
    requestId: string,
    operationId: string,
    decision: OperationDecision,
  ): Promise<ProvisioningRequest | undefined> {
    return this.knex.transaction(async tx => {
      const now = this.clock.now();
      const approved = decision.decision === 'approved';
      const updated = await tx<OperationRow>(OPERATIONS)
        .where({
          id: operationId,
          request_id: requestId,
          status: 'pending-approval',
        })
        .update({
          decision: decision.decision,
          decided_by: decision.by,
          decision_comment: decision.comment ?? null,
          decided_at: now,
          updated_at: now,
          ...(approved
            ? { status: 'queued', next_attempt_at: now }
            : {
                status: 'failed',
                active_request_id: null,
                finished_at: now,
                last_error: `Rejected by ${decision.by}${
                  decision.comment ? `: ${decision.comment}` : ''
                }`,
              }),
        });
      if (updated === 0) {
        return undefined;
      }
      if (approved) {
        // The request reads as busy once its action may run, as any action's does.
        await tx<RequestRow>(REQUESTS)
          .where({ id: requestId, state: 'ready' })
          .update({ state: 'updating', updated_at: now });
      }
      await tx(EVENTS).insert(
        eventRow(requestId, { ...decision.event, operationId }, now),
      );
      return this.read(tx, requestId);
    });
  }

  async findOperationByIdempotencyKey(
    requestId: string,
    key: string,
  ): Promise<ProvisioningOperation | undefined> {
    const row = await this.knex<OperationRow>(OPERATIONS)
      .where({ request_id: requestId, idempotency_key: key })
      .first();
    return row ? toOperation(row) : undefined;
  }

  async findActiveByTypeAndName(
    type: string,
    name: string,
  ): Promise<ProvisioningRequest | undefined> {
    const row = await this.knex<RequestRow>(REQUESTS)
      .where({ type, active_name: name })
      .first();
    return row
      ? (await this.withActiveOperations(this.knex, [row]))[0]
      : undefined;
  }

  async listActiveOfType(type: string): Promise<ProvisioningRequest[]> {
    const rows = await this.knex<RequestRow>(REQUESTS)
      .where({ type })
      .whereNotNull('active_name')
      .orderBy([
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    return this.withActiveOperations(this.knex, rows);
  }

  async addEvent(id: string, event: NewEvent): Promise<void> {
    await this.knex(EVENTS).insert(eventRow(id, event, this.clock.now()));
  }

  async recordActivity(id: string): Promise<void> {
    const now = this.clock.now();
    // One statement, so that concurrent activity never moves the expiry back.
    await this.knex<RequestRow>(REQUESTS)
      .where({ id })
      .whereNotNull('ttl_ms')
      .whereNotNull('active_name')
      .where(query =>
        query
          .whereNull('expires_at')
          .orWhereRaw('expires_at < ? + ttl_ms', [now]),
      )
      .update({
        expires_at: this.knex.raw('? + ttl_ms', [now]),
        expiry_warned_at: null,
      });
  }

  async extend(
    id: string,
    until: number,
    by: string,
  ): Promise<ProvisioningRequest> {
    return this.knex.transaction(async tx => {
      const now = this.clock.now();
      await tx<RequestRow>(REQUESTS)
        .where({ id })
        .update({ expires_at: until, expiry_warned_at: null, updated_at: now });
      await tx(EVENTS).insert(
        eventRow(
          id,
          {
            type: 'extended',
            message: `${by} extended the resource's life until ${new Date(
              until,
            ).toISOString()}`,
            actor: by,
          },
          now,
        ),
      );
      return (await this.read(tx, id))!;
    });
  }

  async listUnwarnedExpiringBefore(
    before: number,
  ): Promise<ProvisioningRequest[]> {
    const rows = await this.knex<RequestRow>(REQUESTS)
      .where({ state: 'ready' })
      .whereNotNull('expires_at')
      .where('expires_at', '<=', before)
      .whereNull('expiry_warned_at')
      .limit(100);
    return this.withActiveOperations(this.knex, rows);
  }

  async markExpiryWarned(id: string): Promise<void> {
    await this.knex<RequestRow>(REQUESTS)
      .where({ id })
      .update({ expiry_warned_at: this.clock.now() });
  }

  async listExpired(limit: number): Promise<ProvisioningRequest[]> {
    const rows = await this.knex<RequestRow>(REQUESTS)
      .whereIn('state', ['ready', 'failed'])
      .whereNotNull('expires_at')
      .where('expires_at', '<=', this.clock.now())
      .whereNotExists(
        this.knex(OPERATIONS)
          .select('id')
          .whereRaw(`${OPERATIONS}.active_request_id = ${REQUESTS}.id`),
      )
      .orderBy('expires_at', 'asc')
      .limit(limit);
    return this.withActiveOperations(this.knex, rows);
  }

  /** Inserts a queued operation; returns its row. */
  private async enqueue(
    tx: Knex.Transaction,
    requestId: string,
    operation: NewOperation,
    now: number,
  ): Promise<OperationRow> {
    const row: OperationRow = {
      id: randomUUID(),
      request_id: requestId,
      active_request_id: requestId,
      kind: operation.kind,
      action: operation.action ?? null,
      input: JSON.stringify(operation.input ?? {}),
      idempotency_key: operation.idempotencyKey ?? null,
      status: operation.approval ? 'pending-approval' : 'queued',
      step: null,
      attempts: 0,
      last_error: null,
      next_attempt_at: now,
      lease_owner: null,
      lease_expires_at: null,
      created_by: operation.createdBy,
      created_at: now,
      updated_at: now,
      finished_at: null,
      ...(operation.approval
        ? {
            approval_group: operation.approval.group,
            approval_reason: operation.approval.reason,
          }
        : {}),
    };
    try {
      await tx<OperationRow>(OPERATIONS).insert(row);
    } catch (error) {
      if (isDatabaseConflictError(error)) {
        throw new ConflictError(
          `Request ${requestId} already has an unfinished operation, or one with the same idempotency key`,
        );
      }
      throw error;
    }
    if (operation.approval) {
      await tx(EVENTS).insert(
        eventRow(
          requestId,
          {
            type: 'approval-required',
            message: `Action '${operation.action}' needs an approval from ${operation.approval.group}: ${operation.approval.reason}`,
            operationId: row.id,
          },
          now,
        ),
      );
    }
    return row;
  }

  private async findActive(
    db: Knex | Knex.Transaction,
    input: { type: string; owner: string; name: string },
  ): Promise<ProvisioningRequest | undefined> {
    const row = await db<RequestRow>(REQUESTS)
      .where({ type: input.type, owner: input.owner, active_name: input.name })
      .first();
    return row ? (await this.withActiveOperations(db, [row]))[0] : undefined;
  }

  private async read(
    db: Knex | Knex.Transaction,
    id: string,
  ): Promise<ProvisioningRequest | undefined> {
    const row = await db<RequestRow>(REQUESTS).where({ id }).first();
    return row ? (await this.withActiveOperations(db, [row]))[0] : undefined;
  }

  private async withActiveOperations(
    db: Knex | Knex.Transaction,
    rows: RequestRow[],
  ): Promise<ProvisioningRequest[]> {
    if (rows.length === 0) {
      return [];
    }
    const operations = await db<OperationRow>(OPERATIONS).whereIn(
      'active_request_id',
      rows.map(row => row.id),
    );
    const byRequest = new Map(operations.map(op => [op.request_id, op]));
    return rows.map(row => toRequest(row, byRequest.get(row.id)));
  }
}

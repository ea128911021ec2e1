import { DatabaseService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { migrateDatabase } from '@paved/backend-plugin-utils';
import {
  DeploymentKind,
  DeploymentRecord,
  DeploymentStatus,
  EnvironmentStage,
} from '@paved/plugin-deployments-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import {
  DeploymentFilter,
  DeploymentStore,
  NewDeployment,
  recordRef,
} from './DeploymentStore';

const TABLE = 'workload_deployments';

/**
 * The module's migrations are recorded apart from the provisioning plugin's, whose
 * `knex_migrations` table is in the same database: knex refuses to run when that
 * table lists migrations its directory does not have.
 */
export const MIGRATIONS_TABLE = 'score_knex_migrations';

const PACKAGE = '@paved/plugin-provisioning-backend-module-score';

/** The most records one list returns. */
const MAX_LIMIT = 1000;

interface DeploymentRow {
  id: string;
  operation_id: string | null;
  request_id: string | null;
  component: string;
  owner: string;
  environment: string;
  stage: string;
  workload: string;
  kind: string;
  status: string;
  image: string;
  git_ref: string | null;
  commit_time: string | number | null;
  rollback_of: string | null;
  promoted_from: string | null;
  reason: string | null;
  spec: string | JsonObject;
  created_by: string;
  started_at: string | number;
  finished_at: string | number | null;
}

// Postgres returns bigint columns as strings.
const iso = (ms: string | number) => new Date(Number(ms)).toISOString();
const epoch = (time: string) => {
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) {
    throw new TypeError(`'${time}' is not a date-time`);
  }
  return ms;
};

function toRecord(row: DeploymentRow): DeploymentRecord {
  return {
    id: row.id,
    component: row.component,
    owner: row.owner,
    environment: row.environment,
    stage: row.stage as EnvironmentStage,
    workload: row.workload,
    ...(row.request_id ? { requestId: row.request_id } : {}),
    ...(row.operation_id ? { operationId: row.operation_id } : {}),
    kind: row.kind as DeploymentKind,
    status: row.status as DeploymentStatus,
    image: row.image,
    ...(row.git_ref ? { gitRef: row.git_ref } : {}),
    ...(row.commit_time !== null ? { commitTime: iso(row.commit_time) } : {}),
    ...(row.rollback_of ? { rollbackOf: row.rollback_of } : {}),
    ...(row.promoted_from ? { promotedFrom: row.promoted_from } : {}),
    ...(row.reason ? { reason: row.reason } : {}),
    createdBy: row.created_by,
    startedAt: iso(row.started_at),
    ...(row.finished_at !== null ? { finishedAt: iso(row.finished_at) } : {}),
  };
}

const withSpec = (row: DeploymentRow) => ({
  ...toRecord(row),
  spec: (typeof row.spec === 'string'
    ? JSON.parse(row.spec)
    : row.spec) as JsonObject,
});

/** {@link DeploymentStore} on the provisioning plugin's database (Postgres or SQLite). */
export class DatabaseDeploymentStore implements DeploymentStore {
  /** Migrates the module's tables (unless the database service skips migrations). */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseDeploymentStore> {
    return new DatabaseDeploymentStore(
      await migrateDatabase(options.database, PACKAGE, {
        tableName: MIGRATIONS_TABLE,
      }),
    );
  }

  private constructor(private readonly db: Knex) {}

  async start(deployment: NewDeployment): Promise<DeploymentRecord> {
    if (deployment.operationId) {
      const existing = await this.byOperation(deployment.operationId);
      if (existing) {
        return toRecord(existing);
      }
    }
    const row: DeploymentRow = {
      id: randomUUID(),
      operation_id: deployment.operationId ?? null,
      request_id: deployment.requestId ?? null,
      component: recordRef(deployment.component),
      owner: recordRef(deployment.owner),
      environment: deployment.environment,
      stage: deployment.stage,
      workload: deployment.workload,
      kind: deployment.kind,
      status: 'in-progress',
      image: deployment.image,
      git_ref: deployment.gitRef ?? null,
      commit_time: deployment.commitTime ? epoch(deployment.commitTime) : null,
      rollback_of: deployment.rollbackOf ?? null,
      promoted_from: deployment.promotedFrom ?? null,
      reason: null,
      spec: JSON.stringify(deployment.spec),
      created_by: deployment.createdBy,
      started_at: deployment.startedAt
        ? epoch(deployment.startedAt)
        : Date.now(),
      finished_at: null,
    };
    await this.db(TABLE).insert(row).onConflict('operation_id').ignore();
    // When a concurrent start of the same operation won, its record is the one.
    if (deployment.operationId) {
      const stored = await this.byOperation(deployment.operationId);
      if (stored) {
        return toRecord(stored);
      }
    }
    return toRecord(row);
  }

  async finish(
    id: string,
    outcome: {
      status: 'succeeded' | 'failed';
      reason?: string;
      finishedAt?: string;
    },
  ): Promise<void> {
    await this.db(TABLE)
      .where({ id })
      .update({
        status: outcome.status,
        reason: outcome.reason ?? null,
        finished_at: outcome.finishedAt
          ? epoch(outcome.finishedAt)
          : Date.now(),
      });
  }

  async get(
    id: string,
  ): Promise<(DeploymentRecord & { spec: JsonObject }) | undefined> {
    const row = await this.db<DeploymentRow>(TABLE).where({ id }).first();
    return row ? withSpec(row) : undefined;
  }

  async list(filter: DeploymentFilter): Promise<DeploymentRecord[]> {
    const query = this.db<DeploymentRow>(TABLE).select();
    for (const [key, column] of [
      ['component', 'component'],
      ['owner', 'owner'],
      ['environment', 'environment'],
      ['stage', 'stage'],
      ['status', 'status'],
    ] as const) {
      const value = filter[key];
      if (value !== undefined) {
        query.where(
          column,
          key === 'component' || key === 'owner' ? recordRef(value) : value,
        );
      }
    }
    if (filter.since) {
      query.where('started_at', '>=', epoch(filter.since));
    }
    const rows = await query
      .orderBy([
        { column: 'started_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(Math.min(filter.limit ?? MAX_LIMIT, MAX_LIMIT));
    return rows.map(toRecord);
  }

  async previousSucceeded(
    requestId: string,
    before?: string,
  ): Promise<(DeploymentRecord & { spec: JsonObject }) | undefined> {
    const query = this.db<DeploymentRow>(TABLE).where({
      request_id: requestId,
      status: 'succeeded',
    });
    if (before) {
      const pivot = await this.db<DeploymentRow>(TABLE)
        .where({ id: before })
        .first();
      if (!pivot) {
        return undefined;
      }
      query
        .where('started_at', '<', Number(pivot.started_at))
        .whereNot('id', before);
    }
    const row = await query.orderBy('started_at', 'desc').first();
    return row ? withSpec(row) : undefined;
  }

  private byOperation(operationId: string) {
    return this.db<DeploymentRow>(TABLE)
      .where({ operation_id: operationId })
      .first();
  }
}

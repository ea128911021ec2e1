import { DatabaseService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { migrateDatabase } from '@paved/backend-plugin-utils';
import {
  ACTIVE_CHANGE_STATES,
  ChangeRequest,
  ChangeState,
  ChangeTargetKind,
  ConflictSides,
} from '@paved/plugin-upgrades-common';
import { Knex } from 'knex';
import {
  ChangeFilter,
  ChangeStore,
  ChangeUpdate,
  NewChange,
} from './ChangeStore';

/**
 * A conflict side longer than this is cut: the diff view shows it so that the team
 * can decide, the branch has the whole file.
 */
export const MAX_CONFLICT_SIDE_CHARS = 256 * 1024;

const TABLE = 'upgrade_changes';
const CONFLICTS = 'upgrade_change_conflicts';

interface ChangeRow {
  id: string;
  entity_ref: string;
  target: string;
  repository: string;
  template_ref: string;
  from_version: string;
  to_version: string;
  branch: string;
  state: string;
  title: string;
  url: string | null;
  files: string;
  conflicts: string;
  campaign_id: string | null;
  base_commit: string | null;
  head_commit: string | null;
  merge_commit: string | null;
  created_by: string;
  created_at: string | number;
  updated_at: string | number;
  merged_at: string | number | null;
  closed_at: string | number | null;
  active_key: string | null;
}

// Postgres returns bigint columns as strings.
const iso = (ms: string | number) => new Date(Number(ms)).toISOString();
const ms = (at: string) => Date.parse(at);

/** The unique key of an active change: one per service and version. */
export const activeKeyOf = (entityRef: string, toVersion: string) =>
  `${entityRef}@${toVersion}`;

function toChange(row: ChangeRow): ChangeRequest {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    target: row.target as ChangeTargetKind,
    repository: row.repository,
    templateRef: row.template_ref,
    fromVersion: row.from_version,
    toVersion: row.to_version,
    branch: row.branch,
    state: row.state as ChangeState,
    title: row.title,
    ...(row.url ? { url: row.url } : {}),
    files: JSON.parse(row.files),
    conflicts: JSON.parse(row.conflicts),
    ...(row.campaign_id ? { campaignId: row.campaign_id } : {}),
    ...(row.base_commit ? { baseCommit: row.base_commit } : {}),
    ...(row.head_commit ? { headCommit: row.head_commit } : {}),
    ...(row.merge_commit ? { mergeCommit: row.merge_commit } : {}),
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    ...(row.merged_at !== null ? { mergedAt: iso(row.merged_at) } : {}),
    ...(row.closed_at !== null ? { closedAt: iso(row.closed_at) } : {}),
  };
}

/**
 * A side as stored: Postgres text cannot hold NUL (a binary file), and a huge
 * generated file would bloat every diff response.
 */
function storedSide(side: string | undefined): string | null {
  if (side === undefined) return null;
  if (side.includes('\u0000')) {
    return '(binary file: not shown; see the branch)';
  }
  if (side.length > MAX_CONFLICT_SIDE_CHARS) {
    return `${side.slice(
      0,
      MAX_CONFLICT_SIDE_CHARS,
    )}\n… (cut at ${MAX_CONFLICT_SIDE_CHARS} characters; see the branch for the whole file)\n`;
  }
  return side;
}

/** {@link ChangeStore} on the plugin's database (Postgres or SQLite). */
export class DatabaseChangeStore implements ChangeStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseChangeStore> {
    return new DatabaseChangeStore(
      await migrateDatabase(options.database, '@paved/plugin-upgrades-backend'),
    );
  }

  /** On a database already migrated (the plugin migrates once for all stores). */
  static fromKnex(knex: Knex): DatabaseChangeStore {
    return new DatabaseChangeStore(knex);
  }

  private constructor(private readonly knex: Knex) {}

  async insertProposing(
    change: NewChange,
    attempt = 1,
  ): Promise<{ change: ChangeRequest; created: boolean }> {
    const activeKey = activeKeyOf(change.entityRef, change.toVersion);
    const at = ms(change.createdAt);
    // ON CONFLICT DO NOTHING on the unique active key: a racing proposal for the
    // same service and version inserts nothing and reads the winner back.
    await this.knex(TABLE)
      .insert({
        id: change.id,
        entity_ref: change.entityRef,
        target: change.target,
        repository: change.repository,
        template_ref: change.templateRef,
        from_version: change.fromVersion,
        to_version: change.toVersion,
        branch: change.branch,
        state: 'proposing',
        title: change.title,
        url: null,
        files: '[]',
        conflicts: '[]',
        campaign_id: change.campaignId ?? null,
        created_by: change.createdBy,
        created_at: at,
        updated_at: at,
        active_key: activeKey,
      })
      .onConflict('active_key')
      .ignore();
    const row = await this.knex<ChangeRow>(TABLE)
      .where({ active_key: activeKey })
      .first();
    if (!row) {
      // Merged or closed between the conflict and this read: try again.
      if (attempt >= 3) {
        throw new Error(`Could not record the change for ${activeKey}`);
      }
      return this.insertProposing(change, attempt + 1);
    }
    return { change: toChange(row), created: row.id === change.id };
  }

  async update(id: string, update: ChangeUpdate): Promise<ChangeRequest> {
    await this.knex.transaction(async tx => {
      const row = await tx<ChangeRow>(TABLE).where({ id }).first();
      if (!row) {
        throw new NotFoundError(`There is no change request '${id}'`);
      }
      const patch: Partial<ChangeRow> = { updated_at: ms(update.updatedAt) };
      if (update.state) {
        patch.state = update.state;
        patch.active_key = ACTIVE_CHANGE_STATES.includes(update.state)
          ? activeKeyOf(row.entity_ref, row.to_version)
          : null;
      }
      if (update.url !== undefined) patch.url = update.url;
      if (update.files) patch.files = JSON.stringify(update.files);
      if (update.conflicts) patch.conflicts = JSON.stringify(update.conflicts);
      if (update.baseCommit) patch.base_commit = update.baseCommit;
      if (update.headCommit) patch.head_commit = update.headCommit;
      if (update.mergeCommit) patch.merge_commit = update.mergeCommit;
      if (update.mergedAt) patch.merged_at = ms(update.mergedAt);
      if (update.closedAt) patch.closed_at = ms(update.closedAt);
      await tx(TABLE).where({ id }).update(patch);
      if (update.conflictSides) {
        await tx(CONFLICTS).where({ change_id: id }).delete();
        for (const side of update.conflictSides) {
          await tx(CONFLICTS).insert({
            change_id: id,
            path: side.path,
            base: storedSide(side.base),
            ours: storedSide(side.ours),
            theirs: storedSide(side.theirs),
          });
        }
      }
    });
    return (await this.get(id))!;
  }

  async get(id: string): Promise<ChangeRequest | undefined> {
    const row = await this.knex<ChangeRow>(TABLE).where({ id }).first();
    return row ? toChange(row) : undefined;
  }

  async removeProposing(id: string): Promise<void> {
    await this.knex(TABLE).where({ id, state: 'proposing' }).delete();
  }

  async list(filter: ChangeFilter): Promise<ChangeRequest[]> {
    const rows = await this.knex<ChangeRow>(TABLE)
      .where(builder => {
        if (filter.entityRef) builder.where('entity_ref', filter.entityRef);
        if (filter.campaignId) builder.where('campaign_id', filter.campaignId);
        if (filter.states?.length) builder.whereIn('state', filter.states);
      })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(filter.limit ?? 500);
    return rows.map(toChange);
  }

  async getActiveByEntity(
    entityRef: string,
    toVersion?: string,
  ): Promise<ChangeRequest | undefined> {
    const query = this.knex<ChangeRow>(TABLE);
    if (toVersion !== undefined) {
      query.where({ active_key: activeKeyOf(entityRef, toVersion) });
    } else {
      query.where({ entity_ref: entityRef }).whereNotNull('active_key');
    }
    const row = await query
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .first();
    return row ? toChange(row) : undefined;
  }

  async latestByEntity(entityRef: string): Promise<ChangeRequest | undefined> {
    const [latest] = await this.list({ entityRef, limit: 1 });
    return latest;
  }

  async conflictSides(id: string): Promise<Map<string, ConflictSides>> {
    const rows: Array<{
      path: string;
      base: string | null;
      ours: string | null;
      theirs: string | null;
    }> = await this.knex(CONFLICTS).where({ change_id: id }).orderBy('path');
    return new Map(
      rows.map(row => [
        row.path,
        {
          ...(row.base !== null ? { base: row.base } : {}),
          ...(row.ours !== null ? { ours: row.ours } : {}),
          ...(row.theirs !== null ? { theirs: row.theirs } : {}),
        },
      ]),
    );
  }
}

import { DatabaseService } from '@backstage/backend-plugin-api';
import { migrateDatabase } from '@paved/backend-plugin-utils';
import {
  Incident,
  IncidentOpenStatus,
  IncidentSeverity,
  IncidentStatus,
} from '@paved/plugin-incidents-common';
import { Knex } from 'knex';
import {
  IncidentStore,
  ListIncidentsFilter,
  StatsFilter,
  StoredEvent,
} from './IncidentStore';

interface IncidentRow {
  id: string;
  entity_ref: string;
  owner: string;
  severity: string;
  status: string;
  summary: string;
  description: string | null;
  opened_by: string;
  opened_at: string | number;
  resolved_by: string | null;
  resolved_at: string | number | null;
  cause: string | null;
  resolution: string | null;
  time_to_restore_ms: string | number | null;
}

interface EventRow {
  type: string;
  message: string;
  actor: string | null;
  at: string | number;
}

// Postgres returns bigint columns as strings.
const iso = (ms: string | number) => new Date(Number(ms)).toISOString();

function toIncident(row: IncidentRow): Incident {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    owner: row.owner,
    severity: row.severity as IncidentSeverity,
    status: row.status as IncidentStatus,
    summary: row.summary,
    ...(row.description ? { description: row.description } : {}),
    openedBy: row.opened_by,
    openedAt: iso(row.opened_at),
    ...(row.resolved_by ? { resolvedBy: row.resolved_by } : {}),
    ...(row.resolved_at !== null ? { resolvedAt: iso(row.resolved_at) } : {}),
    ...(row.cause ? { cause: row.cause } : {}),
    ...(row.resolution ? { resolution: row.resolution } : {}),
    ...(row.time_to_restore_ms !== null
      ? { timeToRestoreMs: Number(row.time_to_restore_ms) }
      : {}),
  };
}

const eventRow = (incidentId: string, event: StoredEvent) => ({
  incident_id: incidentId,
  type: event.type,
  message: event.message,
  actor: event.actor ?? null,
  at: Date.parse(event.at),
});

/** {@link IncidentStore} on the plugin's database (Postgres or SQLite). */
export class DatabaseIncidentStore implements IncidentStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseIncidentStore> {
    return new DatabaseIncidentStore(
      await migrateDatabase(
        options.database,
        '@paved/plugin-incidents-backend',
      ),
    );
  }

  private constructor(private readonly knex: Knex) {}

  async create(incident: Incident, event: StoredEvent): Promise<Incident> {
    await this.knex.transaction(async tx => {
      await tx('incidents').insert({
        id: incident.id,
        entity_ref: incident.entityRef,
        owner: incident.owner,
        severity: incident.severity,
        status: incident.status,
        summary: incident.summary,
        description: incident.description ?? null,
        opened_by: incident.openedBy,
        opened_at: Date.parse(incident.openedAt),
      });
      await tx('incident_events').insert(eventRow(incident.id, event));
    });
    return (await this.get(incident.id))!;
  }

  async get(id: string): Promise<Incident | undefined> {
    const row = await this.knex<IncidentRow>('incidents').where({ id }).first();
    return row ? toIncident(row) : undefined;
  }

  async list(filter: ListIncidentsFilter) {
    const query = this.knex<IncidentRow>('incidents').where(builder => {
      if (filter.entityRef) builder.where('entity_ref', filter.entityRef);
      if (filter.owner) builder.where('owner', filter.owner);
      if (filter.status?.length) builder.whereIn('status', filter.status);
    });
    const [{ count }] = await query.clone().count({ count: '*' });
    const rows = await query
      .orderBy([
        { column: 'opened_at', order: 'desc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(filter.limit)
      .offset(filter.offset);
    return { items: rows.map(toIncident), totalCount: Number(count) };
  }

  async events(id: string): Promise<StoredEvent[]> {
    const rows: EventRow[] = await this.knex('incident_events')
      .where({ incident_id: id })
      .orderBy([
        { column: 'at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    return rows.map(row => ({
      type: row.type as StoredEvent['type'],
      message: row.message,
      ...(row.actor ? { actor: row.actor } : {}),
      at: iso(row.at),
    }));
  }

  async addEvent(id: string, event: StoredEvent): Promise<void> {
    await this.knex('incident_events').insert(eventRow(id, event));
  }

  async setStatus(
    id: string,
    status: IncidentOpenStatus,
    event: StoredEvent,
  ): Promise<Incident | undefined> {
    const changed = await this.knex.transaction(async tx => {
      const updated = await tx('incidents')
        .where({ id })
        .whereNot('status', 'resolved')
        .update({ status });
      if (updated === 0) return false;
      await tx('incident_events').insert(eventRow(id, event));
      return true;
    });
    return changed ? this.get(id) : undefined;
  }

  async resolve(
    id: string,
    resolution: {
      resolvedBy: string;
      resolvedAt: string;
      cause: string;
      resolution?: string;
    },
    event: StoredEvent,
  ): Promise<Incident | undefined> {
    const resolvedAt = Date.parse(resolution.resolvedAt);
    const changed = await this.knex.transaction(async tx => {
      const open = await tx<IncidentRow>('incidents')
        .where({ id })
        .whereNot('status', 'resolved')
        .first();
      if (!open) return false;
      // The status condition makes concurrent resolves resolve once.
      const updated = await tx('incidents')
        .where({ id })
        .whereNot('status', 'resolved')
        .update({
          status: 'resolved',
          resolved_by: resolution.resolvedBy,
          resolved_at: resolvedAt,
          cause: resolution.cause,
          resolution: resolution.resolution ?? null,
          time_to_restore_ms: resolvedAt - Number(open.opened_at),
        });
      if (updated === 0) return false;
      await tx('incident_events').insert(eventRow(id, event));
      return true;
    });
    return changed ? this.get(id) : undefined;
  }

  async forStats(filter: StatsFilter): Promise<Incident[]> {
    const rows = await this.knex<IncidentRow>('incidents').where(builder => {
      if (filter.entityRef) builder.where('entity_ref', filter.entityRef);
      if (filter.owner) builder.where('owner', filter.owner);
      if (filter.since !== undefined) {
        builder.where('opened_at', '>=', filter.since);
      }
    });
    return rows.map(toIncident);
  }
}

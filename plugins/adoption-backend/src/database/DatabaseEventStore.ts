import { Knex } from 'knex';
import { dayOf } from '../days';
import { EventStore, StoredEvent } from './EventStore';

/** Rows per INSERT statement: well under SQLite's and Postgres' parameter limits. */
const CHUNK = 500;
const SQLITE_CHUNK = 150;

const cut = (value: string | undefined, max: number) =>
  value === undefined ? null : value.slice(0, max);

function toRow(event: StoredEvent) {
  return {
    occurred_at: event.occurredAt,
    day: dayOf(event.occurredAt),
    source: event.source,
    user_ref: cut(event.user, 255),
    plugin_id: event.pluginId.slice(0, 100),
    action: event.action.slice(0, 100),
    subject: cut(event.subject, 1000),
    route: cut(event.route, 255),
    entity_ref: cut(event.entityRef, 255),
    team: cut(event.team, 255),
    value: event.value ?? null,
    outcome: cut(event.outcome, 20),
    duration_ms: event.durationMs ?? null,
    attributes:
      event.attributes && Object.keys(event.attributes).length > 0
        ? JSON.stringify(event.attributes)
        : null,
  };
}

/** Raw events in the plugin's database. */
export class DatabaseEventStore implements EventStore {
  static create(options: { knex: Knex }) {
    return new DatabaseEventStore(options.knex);
  }

  private constructor(private readonly knex: Knex) {}

  private get chunk() {
    return this.knex.client.config.client === 'pg' ? CHUNK : SQLITE_CHUNK;
  }

  async insertBatch(batchId: string, events: StoredEvent[]): Promise<boolean> {
    return this.knex.transaction(async tx => {
      // A concurrent retry of the same batch waits here on the unique key, then
      // finds it taken once the first commits.
      const inserted = await tx('adoption_batches')
        .insert({
          batch_id: batchId,
          received_at: new Date(),
          event_count: events.length,
        })
        .onConflict('batch_id')
        .ignore()
        .returning('batch_id');
      if (inserted.length === 0) {
        return false;
      }
      await this.insertRows(tx, events);
      return true;
    });
  }

  async insertEvents(events: StoredEvent[]): Promise<void> {
    await this.insertRows(this.knex, events);
  }

  private async insertRows(db: Knex, events: StoredEvent[]) {
    const rows = events.map(toRow);
    for (let i = 0; i < rows.length; i += this.chunk) {
      await db('adoption_events').insert(rows.slice(i, i + this.chunk));
    }
  }

  async purgeBefore(day: number): Promise<number> {
    return this.knex('adoption_events').where('day', '<', day).delete();
  }
}

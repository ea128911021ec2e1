import { parseInput } from '@paved/backend-plugin-utils';
import {
  analyticsBatchSchema,
  UsageEvent,
} from '@paved/plugin-adoption-common';
import { EventStore, StoredEvent } from '../database/EventStore';
import { Pseudonymizer } from './Pseudonymizer';

/** The extension an event came from: `extension`, or the new frontend system's `extensionId`. */
function extensionOf(context: Record<string, unknown>) {
  const extension = context.extension ?? context.extensionId;
  return typeof extension === 'string' ? { extension } : {};
}

/** Validates and stores analytics batches and backend usage events. */
export class IngestionService {
  constructor(
    private readonly store: EventStore,
    private readonly people: Pseudonymizer,
  ) {}

  /**
   * Stores a batch from the frontend for `userRef`. A batch id seen before is
   * accepted again without storing anything (a retry).
   */
  async ingestBatch(
    body: unknown,
    userRef: string,
  ): Promise<{ batchId: string; accepted: number; duplicate: boolean }> {
    const { batchId, events } = parseInput(analyticsBatchSchema, body, 'batch');
    const user = this.people.of(userRef);
    const rows: StoredEvent[] = events.map(event => ({
      occurredAt: new Date(event.timestamp),
      source: 'frontend',
      user,
      pluginId: event.context.pluginId,
      action: event.action,
      subject: event.subject,
      // The page: its route ref in the legacy frontend system; in the new one, where
      // navigation events carry no route ref, the page extension that rendered it.
      route: event.context.routeRef ?? extensionOf(event.context).extension,
      entityRef: event.context.entityRef,
      value: event.value,
      attributes: {
        ...event.attributes,
        ...extensionOf(event.context),
      },
    }));
    const stored = await this.store.insertBatch(batchId.toLowerCase(), rows);
    return { batchId, accepted: events.length, duplicate: !stored };
  }

  /** Stores a usage event a backend plugin published. */
  async ingestUsageEvent(event: UsageEvent): Promise<void> {
    // Only people are pseudonymized; services keep their refs.
    const actor = event.actor?.startsWith('user:')
      ? this.people.of(event.actor)
      : event.actor;
    await this.store.insertEvents([
      {
        occurredAt: new Date(event.occurredAt),
        source: 'backend',
        user: actor,
        pluginId: event.plugin,
        action: event.action,
        subject: event.subject,
        team: event.team,
        outcome: event.outcome,
        durationMs: event.durationMs,
        attributes: event.attributes,
      },
    ]);
  }
}

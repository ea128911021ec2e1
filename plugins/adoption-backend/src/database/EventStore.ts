/** One event as stored: a frontend analytics event or a backend usage event. */
export interface StoredEvent {
  occurredAt: Date;
  source: 'frontend' | 'backend';
  /** The user's entity ref, or its pseudonym; absent for anonymous events. */
  user?: string;
  pluginId: string;
  action: string;
  subject?: string;
  route?: string;
  entityRef?: string;
  team?: string;
  value?: number;
  outcome?: string;
  durationMs?: number;
  attributes?: Record<string, unknown>;
}

/** Where raw events go, and are purged from. */
export interface EventStore {
  /**
   * Stores a batch once: returns false (and stores nothing) when a batch with this
   * id was stored before.
   */
  insertBatch(batchId: string, events: StoredEvent[]): Promise<boolean>;
  insertEvents(events: StoredEvent[]): Promise<void>;
  /** Deletes raw events of days before `day`; returns how many. */
  purgeBefore(day: number): Promise<number>;
}

import {
  Incident,
  IncidentOpenStatus,
  IncidentStatus,
  IncidentTimelineEvent,
} from '@paved/plugin-incidents-common';

/** A timeline event as stored: everything but runbook runs, which are read live. */
export type StoredEvent = Pick<
  IncidentTimelineEvent,
  'type' | 'message' | 'actor' | 'at'
>;

export interface ListIncidentsFilter {
  entityRef?: string;
  owner?: string;
  status?: IncidentStatus[];
  limit: number;
  offset: number;
}

export interface StatsFilter {
  entityRef?: string;
  owner?: string;
  /** Epoch milliseconds: incidents opened at or after. */
  since?: number;
}

/** Where incidents and their timelines are kept. */
export interface IncidentStore {
  create(incident: Incident, event: StoredEvent): Promise<Incident>;
  get(id: string): Promise<Incident | undefined>;
  list(filter: ListIncidentsFilter): Promise<{
    items: Incident[];
    totalCount: number;
  }>;
  events(id: string): Promise<StoredEvent[]>;
  addEvent(id: string, event: StoredEvent): Promise<void>;
  /** Sets an open incident's status; undefined when it is resolved (or absent). */
  setStatus(
    id: string,
    status: IncidentOpenStatus,
    event: StoredEvent,
  ): Promise<Incident | undefined>;
  /**
   * Resolves an open incident; returns undefined when it was already resolved (or
   * absent), in which case nothing changes.
   */
  resolve(
    id: string,
    resolution: {
      resolvedBy: string;
      resolvedAt: string;
      cause: string;
      resolution?: string;
    },
    event: StoredEvent,
  ): Promise<Incident | undefined>;
  /** The incidents that statistics are computed over. */
  forStats(filter: StatsFilter): Promise<Incident[]>;
}

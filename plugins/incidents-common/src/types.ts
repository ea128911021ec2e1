/** How bad it is: sev1 is an outage, sev4 a nuisance. @public */
export const INCIDENT_SEVERITIES = ['sev1', 'sev2', 'sev3', 'sev4'] as const;

/** @public */
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

/** The statuses an open incident moves through, set by its responders. @public */
export const INCIDENT_OPEN_STATUSES = [
  'investigating',
  'identified',
  'monitoring',
] as const;

/** @public */
export type IncidentOpenStatus = (typeof INCIDENT_OPEN_STATUSES)[number];

/** @public */
export type IncidentStatus = IncidentOpenStatus | 'resolved';

/** An incident on a catalog entity. @public */
export interface Incident {
  id: string;
  /** The affected entity, e.g. `component:default/orders-api`. */
  entityRef: string;
  /** The entity's owning group when the incident was opened. */
  owner: string;
  severity: IncidentSeverity;
  status: IncidentStatus;
  summary: string;
  description?: string;
  openedBy: string;
  /** ISO 8601. */
  openedAt: string;
  resolvedBy?: string;
  resolvedAt?: string;
  cause?: string;
  resolution?: string;
  /** resolvedAt − openedAt, once resolved. */
  timeToRestoreMs?: number;
}

/** @public */
export type IncidentTimelineEventType =
  | 'opened'
  | 'note'
  | 'status'
  | 'resolved'
  | 'runbook-run';

/** One line of an incident's timeline. @public */
export interface IncidentTimelineEvent {
  type: IncidentTimelineEventType;
  message: string;
  actor?: string;
  /** ISO 8601. */
  at: string;
  /** For `runbook-run` events: the run. */
  runbookRun?: {
    taskId: string;
    templateRef: string;
    templateTitle: string;
    outcome: string;
    durationMs?: number;
    /** The task's page in the portal, `/create/tasks/<taskId>`. */
    link: string;
  };
}

/** An incident with its timeline, oldest event first. @public */
export interface IncidentDetails extends Incident {
  timeline: IncidentTimelineEvent[];
  /**
   * Set when the runbook runs on the entity could not be read: the timeline then
   * lacks them.
   */
  runbookRunsError?: string;
}

/** A page of incidents. @public */
export interface IncidentList {
  items: Incident[];
  totalCount: number;
}

/** Incident counts and time to restore of one service or team. @public */
export interface IncidentStatsRow {
  /** An entity ref (per service) or a group ref (per team). */
  ref: string;
  count: number;
  openCount: number;
  resolvedCount: number;
  meanTimeToRestoreMs?: number;
  medianTimeToRestoreMs?: number;
}

/** What `GET /stats` answers. @public */
export interface IncidentStats {
  since?: string;
  services: IncidentStatsRow[];
  teams: IncidentStatsRow[];
}

/** A runbook that applies to an entity, as `GET /runbooks` lists it. @public */
export interface RunbookSummary {
  /** The Template's entity ref, e.g. `template:default/restart-deployment`. */
  templateRef: string;
  name: string;
  title: string;
  description?: string;
  version?: string;
  /** Whether the runbook changes something (it asks for a confirmation). */
  destructive: boolean;
  /** The scaffolder form, prefilled with the entity. */
  link: string;
  /** Its documentation, if the template links to it. */
  docsUrl?: string;
}

/** How a run ended, or that it has not yet. @public */
export type RunbookRunOutcome =
  | 'open'
  | 'processing'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'skipped';

/** A past or current run of a runbook on an entity, as `GET /runs` lists it. @public */
export interface RunbookRun {
  taskId: string;
  templateRef: string;
  entityRef: string;
  /** Who ran it (user entity ref), if known. */
  createdBy?: string;
  createdAt: string;
  outcome: RunbookRunOutcome;
  /** From creation to the last heartbeat (the end, for a finished run). */
  durationMs?: number;
  parameters: Record<string, unknown>;
  /** The task page in the portal. */
  link: string;
}

/**
 * One entry of a request's timeline: what happened, when, and who (or which worker)
 * did it.
 *
 * @public
 */
export interface ProvisioningEvent {
  id: number;
  requestId: string;
  operationId?: string;
  /** Kebab-case, e.g. `requested`, `approved`, `step-failed`, `ready`. */
  type: string;
  message: string;
  /** A user or service for API events; `worker:<id>` for the worker's. */
  actor?: string;
  createdAt: string;
}

import {
  DeploymentRecord,
  WorkloadEnvironment,
} from '@paved/plugin-deployments-common';
import { DeploymentAccepted } from '../api';

/** A deployment the user started from the tab, followed until it finishes. */
export interface TrackedDeployment {
  /** What was done, for the progress message: "Deploying x to y". */
  title: string;
  environment: string;
  accepted: DeploymentAccepted;
  /** When it was sent (ms since the epoch). */
  since: number;
}

// Browser and server clocks differ a little; a record started this much before
// the click may still be the one it made.
const CLOCK_SKEW_MS = 60_000;

/**
 * The record of `tracked` among the environments' current and latest deployments:
 * the one of its operation, or (when the backend gave no operation id) the newest
 * started since it was sent. Undefined until the backend has recorded it.
 */
export function recordOf(
  tracked: TrackedDeployment,
  environments: WorkloadEnvironment[] | undefined,
): DeploymentRecord | undefined {
  const environment = environments?.find(
    e => e.environment === tracked.environment,
  );
  const candidates = [environment?.latest, environment?.current].filter(
    (r): r is DeploymentRecord => !!r,
  );
  const { operationId } = tracked.accepted;
  if (operationId) {
    return candidates.find(r => r.operationId === operationId);
  }
  return candidates.find(
    r => Date.parse(r.startedAt) >= tracked.since - CLOCK_SKEW_MS,
  );
}

/** Whether anything shown is still rolling out, so the page keeps polling. */
export function anyInProgress(
  environments: WorkloadEnvironment[] | undefined,
): boolean {
  return !!environments?.some(
    e =>
      e.latest?.status === 'in-progress' ||
      e.state === 'provisioning' ||
      e.state === 'updating',
  );
}

import { LocalClusterStatus } from '@paved/plugin-provisioning-common';

/** What the notice about the local cluster says, or nothing to say. */
export interface LocalClusterNoticeContent {
  status: 'info' | 'success' | 'warning';
  /** Still moving: the notice shows a spinner. */
  pending: boolean;
  title: string;
  description: string;
  /** The cluster became ready while the page was open: offer a reload. */
  reload: boolean;
}

const WHAT_NEEDS_IT =
  'Kubernetes tabs, self-service databases and environments, runbooks and the ' +
  'Kubernetes scorecard checks';

/** `45 s`, `3 min`, `6 min 52 s`. */
export function formatSeconds(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  if (minutes === 0) return `${rest} s`;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

function sinceStart(status: LocalClusterStatus, now: number) {
  const started = status.startedAt ? Date.parse(status.startedAt) : NaN;
  return Number.isNaN(started)
    ? ''
    : ` for ${formatSeconds((now - started) / 1000)}`;
}

/**
 * The notice for the local cluster's status. `sawProgress`: this page saw it
 * building or starting, so `ready` is news worth a reload.
 */
export function describeLocalCluster(
  status: LocalClusterStatus,
  options: { now: number; sawProgress: boolean },
): LocalClusterNoticeContent | undefined {
  const last =
    status.lastBuildSeconds !== undefined
      ? `The last build took ${formatSeconds(status.lastBuildSeconds)}.`
      : 'A first build takes several minutes.';
  switch (status.state) {
    case 'building':
      return {
        status: 'info',
        pending: true,
        title: 'The local Kubernetes cluster is still being built',
        description:
          `Building${status.step ? ` ${status.step}` : ''}${sinceStart(
            status,
            options.now,
          )}. ${last} Until it is ready, ${WHAT_NEEDS_IT} are not ` +
          "available; they join by themselves (the portal's backend restarts once).",
        reload: false,
      };
    case 'starting':
      return {
        status: 'info',
        pending: true,
        title: 'The local Kubernetes cluster is starting',
        description:
          `${status.step ? `Now ${status.step}. ` : ''}${WHAT_NEEDS_IT} join ` +
          "in a moment; the portal's backend restarts once for that.",
        reload: false,
      };
    case 'ready':
      return options.sawProgress
        ? {
            status: 'success',
            pending: false,
            title: 'The local Kubernetes cluster is ready',
            description: `Reload the page to use it: ${WHAT_NEEDS_IT} now work.`,
            reload: true,
          }
        : undefined;
    case 'failed':
      return {
        status: 'warning',
        pending: false,
        title: 'The local Kubernetes cluster is not available',
        description:
          `${
            status.message ?? 'It could not be built or started.'
          } The portal ` +
          `runs without it: ${WHAT_NEEDS_IT} are not available until ./paved ` +
          'start runs it.',
        reload: false,
      };
    default:
      return undefined;
  }
}

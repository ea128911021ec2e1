import { RequestState } from '@paved/plugin-provisioning-common';

/** States in which the worker is doing something the user waits for. */
const BUSY_STATES: readonly RequestState[] = [
  'provisioning',
  'updating',
  'deleting',
];

/** States that never change again. */
const FINAL_STATES: readonly RequestState[] = ['rejected', 'deleted'];

const isBusy = (state: RequestState) => BUSY_STATES.includes(state);

export const isFinal = (state: RequestState) => FINAL_STATES.includes(state);

/**
 * How long to wait before reading a request again: soon while the worker is on it,
 * less often while a person has to decide, never once nothing can change.
 */
export function pollInterval(
  state: RequestState,
  busyIntervalMs: number,
): number | undefined {
  if (isBusy(state)) {
    return busyIntervalMs;
  }
  if (state === 'pending-approval') {
    return busyIntervalMs * 4;
  }
  return undefined;
}

const LABELS: Record<RequestState, string> = {
  'pending-approval': 'Pending approval',
  provisioning: 'Provisioning',
  ready: 'Ready',
  updating: 'Updating',
  failed: 'Failed',
  rejected: 'Rejected',
  deleting: 'Deleting',
  deleted: 'Deleted',
};

export const stateLabel = (state: RequestState) => LABELS[state] ?? state;

import { setTimeout as delay } from 'node:timers/promises';
import type { KubernetesObjects } from '@paved/plugin-provisioning-backend-module-environments';
import { RolloutFailedError } from './RolloutFailedError';
import {
  currentReplicaSet,
  Deployment,
  describeState,
  failuresOf,
  isRolledOut,
  Pod,
  podsOf,
  ReplicaSet,
} from './rolloutState';

/** @public */
export interface WaitForRolloutOptions {
  namespace: string;
  /** The workload's name, which is its Deployment's. */
  workload: string;
  signal?: AbortSignal;
  /**
   * How often to look; 50 ms by default: a rollout on idle nodes takes a few hundred
   * milliseconds, and each look is two list calls to the API server.
   */
  pollMs?: number;
  /** Gives up (a RolloutFailedError with the state so far) after this long; 10 minutes by default. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)}s`;
}

async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    // The caller's reason, not the timer's AbortError.
    signal?.throwIfAborted();
    throw error;
  }
}

/**
 * Waits until the workload's Deployment has rolled out: the controller saw the
 * current spec, every replica is updated and ready, and every live pod of the
 * current ReplicaSet runs and is Ready. Fails early, with Kubernetes' reasons, when
 * it cannot succeed: a ReplicaFailure (e.g. "exceeded quota"), a passed progress
 * deadline, pods that crash, cannot pull their image or failed. Polls, since a
 * watch would not make a rollout of seconds any faster.
 *
 * @public
 */
export async function waitForRollout(
  objects: KubernetesObjects,
  options: WaitForRolloutOptions,
): Promise<void> {
  const { namespace, workload, signal } = options;
  const pollMs = options.pollMs ?? 50;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const name = `${namespace}/${workload}`;
  for (;;) {
    signal?.throwIfAborted();
    const [deployment, replicaSets, allPods] = await Promise.all([
      objects.read<Deployment>({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: workload, namespace },
      }),
      objects.list<ReplicaSet>('apps/v1', 'ReplicaSet', namespace, signal),
      objects.list<Pod>('v1', 'Pod', namespace, signal),
    ]);
    let pods: Pod[] = [];
    if (deployment) {
      const replicaSet = currentReplicaSet(deployment, replicaSets);
      pods = podsOf(replicaSet, allPods);
      const failures = failuresOf(deployment, replicaSet, pods);
      if (failures.length > 0) {
        throw new RolloutFailedError(name, failures);
      }
      if (isRolledOut(deployment, pods)) {
        return;
      }
    }
    if (Date.now() >= deadline) {
      throw new RolloutFailedError(name, [
        `not rolled out within ${formatDuration(timeoutMs)}: ${describeState(
          deployment,
          pods,
        )}`,
      ]);
    }
    await sleep(pollMs, signal);
  }
}

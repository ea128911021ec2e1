import { KubernetesObject } from '@kubernetes/client-node';
import type {
  DesiredObject,
  KubernetesObjects,
} from '@paved/plugin-provisioning-backend-module-environments';
import { WORKLOAD_LABEL } from '../render';
import { applyRendered, waitForRollout } from '../rollout';

/** What the workload's status shows of its Deployment and pods. */
export interface WorkloadState {
  /** Undefined when there is no Deployment. */
  deployment?: {
    replicas: number;
    readyReplicas: number;
    updatedReplicas: number;
    images: string[];
  };
  /** Live pods of the workload by phase, e.g. `{ Running: 2 }`. */
  podsByPhase: Record<string, number>;
}

/**
 * What the workload type does in the cluster, behind an interface so that its steps
 * are tested without one: apply rendered objects (pruning the workload's others),
 * wait for the rollout, remove everything of a workload, read its state.
 */
export interface WorkloadCluster {
  apply(options: {
    namespace: string;
    workload: string;
    rendered: DesiredObject[];
    signal: AbortSignal;
  }): Promise<void>;
  /** Rejects with a RolloutFailedError naming Kubernetes' reasons when it cannot finish. */
  waitForRollout(options: {
    namespace: string;
    workload: string;
    signal: AbortSignal;
  }): Promise<void>;
  /** Deletes the workload's objects; `Kind/name` of those deleted. */
  remove(options: {
    namespace: string;
    workload: string;
    signal: AbortSignal;
  }): Promise<string[]>;
  state(options: {
    namespace: string;
    workload: string;
    signal: AbortSignal;
  }): Promise<WorkloadState>;
}

interface Deployment extends KubernetesObject {
  spec?: {
    replicas?: number;
    template?: { spec?: { containers?: Array<{ image?: string }> } };
  };
  status?: { readyReplicas?: number; updatedReplicas?: number };
}

interface Pod extends KubernetesObject {
  status?: { phase?: string };
}

/** {@link WorkloadCluster} on the Kubernetes API, with the renderer's apply and rollout wait. */
export class KubernetesWorkloadCluster implements WorkloadCluster {
  constructor(
    private readonly objects: KubernetesObjects,
    private readonly rollout: { pollMs?: number; timeoutMs?: number } = {},
  ) {}

  async apply(options: {
    namespace: string;
    workload: string;
    rendered: DesiredObject[];
    signal: AbortSignal;
  }): Promise<void> {
    await applyRendered(this.objects, options);
  }

  async waitForRollout(options: {
    namespace: string;
    workload: string;
    signal: AbortSignal;
  }): Promise<void> {
    await waitForRollout(this.objects, { ...options, ...this.rollout });
  }

  async remove(options: {
    namespace: string;
    workload: string;
    signal: AbortSignal;
  }): Promise<string[]> {
    // Nothing rendered: every object of the workload is pruned.
    const { pruned } = await applyRendered(this.objects, {
      ...options,
      rendered: [],
    });
    return pruned;
  }

  async state(options: {
    namespace: string;
    workload: string;
    signal: AbortSignal;
  }): Promise<WorkloadState> {
    const { namespace, workload, signal } = options;
    const [deployment, pods] = await Promise.all([
      this.objects.read<Deployment>({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: workload, namespace },
      }),
      this.objects.list<Pod>('v1', 'Pod', namespace, signal),
    ]);
    const podsByPhase: Record<string, number> = {};
    for (const pod of pods) {
      if (
        pod.metadata?.labels?.[WORKLOAD_LABEL] !== workload ||
        pod.metadata?.deletionTimestamp
      ) {
        continue;
      }
      const phase = pod.status?.phase ?? 'Unknown';
      podsByPhase[phase] = (podsByPhase[phase] ?? 0) + 1;
    }
    return {
      ...(deployment
        ? {
            deployment: {
              replicas: deployment.spec?.replicas ?? 1,
              readyReplicas: deployment.status?.readyReplicas ?? 0,
              updatedReplicas: deployment.status?.updatedReplicas ?? 0,
              images: (deployment.spec?.template?.spec?.containers ?? [])
                .map(c => c.image)
                .filter((i): i is string => !!i),
            },
          }
        : {}),
      podsByPhase,
    };
  }
}

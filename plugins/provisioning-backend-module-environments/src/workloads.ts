import { KubernetesObject } from '@kubernetes/client-node';
import { ResourceStatusSection } from '@paved/plugin-provisioning-common';
import { forEachLimited, KubernetesObjects } from './kubernetes';
import { OBJECT_NAMES } from './manifests';

/** The parts of a Deployment or StatefulSet that readiness looks at. */
interface Workload extends KubernetesObject {
  spec?: {
    replicas?: number;
    template?: {
      spec?: { containers?: Array<{ name: string; image?: string }> };
    };
  };
  status?: {
    observedGeneration?: number;
    readyReplicas?: number;
  };
}

interface Pod extends KubernetesObject {
  status?: {
    phase?: string;
    conditions?: Array<{ type: string; status: string }>;
  };
}

interface Quota extends KubernetesObject {
  status?: { hard?: Record<string, string>; used?: Record<string, string> };
}

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet'] as const;

/** Every Deployment and StatefulSet of the namespace. */
async function listWorkloads(
  objects: KubernetesObjects,
  namespace: string,
  signal?: AbortSignal,
): Promise<Workload[]> {
  const lists = await Promise.all(
    WORKLOAD_KINDS.map(kind =>
      objects.list<Workload>('apps/v1', kind, namespace, signal),
    ),
  );
  return lists.flat();
}

function desiredReplicas(workload: Workload): number {
  return workload.spec?.replicas ?? 1;
}

/** Ready: the controller saw the current spec and every replica is ready. */
function isWorkloadReady(workload: Workload): boolean {
  const desired = desiredReplicas(workload);
  const observed = workload.status?.observedGeneration ?? 0;
  return (
    observed >= (workload.metadata?.generation ?? 0) &&
    (workload.status?.readyReplicas ?? 0) === desired
  );
}

/**
 * Pods that count for readiness: not finished (a Job's Succeeded pod is done, not
 * broken) and not on their way out.
 */
function isLivePod(pod: Pod): boolean {
  return pod.status?.phase !== 'Succeeded' && !pod.metadata?.deletionTimestamp;
}

function isPodReady(pod: Pod): boolean {
  return (
    pod.status?.phase === 'Running' &&
    !!pod.status.conditions?.some(
      c => c.type === 'Ready' && c.status === 'True',
    )
  );
}

/**
 * Whether the environment is up: every Deployment and StatefulSet has all its
 * replicas ready, and every live pod runs and is Ready. An empty environment is.
 */
export async function readiness(
  objects: KubernetesObjects,
  namespace: string,
  signal?: AbortSignal,
): Promise<{ ready: boolean; message: string }> {
  const [workloads, pods] = await Promise.all([
    listWorkloads(objects, namespace, signal),
    objects.list<Pod>('v1', 'Pod', namespace, signal),
  ]);
  const readyWorkloads = workloads.filter(isWorkloadReady).length;
  const live = pods.filter(isLivePod);
  const readyPods = live.filter(isPodReady).length;
  const ready =
    readyWorkloads === workloads.length && readyPods === live.length;
  return {
    ready,
    message: `${readyWorkloads} of ${workloads.length} workloads ready, ${readyPods} of ${live.length} pods ready`,
  };
}

/**
 * Sets `image` on every container of every Deployment and StatefulSet of the
 * namespace (a strategic merge by container name); returns the workloads changed.
 */
export async function deployImage(
  objects: KubernetesObjects,
  namespace: string,
  image: string,
  signal?: AbortSignal,
): Promise<number> {
  const workloads = await listWorkloads(objects, namespace, signal);
  let changed = 0;
  await forEachLimited(workloads, 8, async workload => {
    const containers = workload.spec?.template?.spec?.containers ?? [];
    if (containers.every(c => c.image === image)) {
      return;
    }
    signal?.throwIfAborted();
    await objects.mergePatch({
      apiVersion: 'apps/v1',
      kind: workload.kind,
      metadata: { name: workload.metadata?.name, namespace },
      spec: {
        template: {
          spec: { containers: containers.map(c => ({ name: c.name, image })) },
        },
      },
    } as KubernetesObject);
    changed += 1;
  });
  return changed;
}

function images(workload: Workload): string {
  const names = new Set(
    (workload.spec?.template?.spec?.containers ?? []).map(c => c.image ?? '?'),
  );
  return [...names].join(', ');
}

/** The live status sections: quota usage, workloads and pods by phase. */
export async function environmentStatus(
  objects: KubernetesObjects,
  namespace: string,
  signal?: AbortSignal,
): Promise<ResourceStatusSection[]> {
  const [quota, workloads, pods] = await Promise.all([
    objects.read<Quota>({
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: OBJECT_NAMES.quota, namespace },
    }),
    listWorkloads(objects, namespace, signal),
    objects.list<Pod>('v1', 'Pod', namespace, signal),
  ]);
  const hard = quota?.status?.hard ?? {};
  const used = quota?.status?.used ?? {};
  const phases = new Map<string, number>();
  for (const pod of pods) {
    const phase = pod.status?.phase ?? 'Unknown';
    phases.set(phase, (phases.get(phase) ?? 0) + 1);
  }
  return [
    quota
      ? {
          title: 'Quota and usage',
          table: {
            columns: ['Resource', 'Used', 'Limit'],
            rows: Object.keys(hard)
              .sort()
              .map(resource => [
                resource,
                used[resource] ?? '0',
                hard[resource],
              ]),
          },
        }
      : {
          title: 'Quota and usage',
          message: `ResourceQuota '${OBJECT_NAMES.quota}' is missing; the next drift check puts it back`,
        },
    workloads.length
      ? {
          title: 'Workloads',
          table: {
            columns: ['Kind', 'Name', 'Ready', 'Image'],
            rows: workloads.map(w => [
              w.kind ?? '',
              w.metadata?.name ?? '',
              `${w.status?.readyReplicas ?? 0}/${desiredReplicas(w)}`,
              images(w),
            ]),
          },
        }
      : { title: 'Workloads', message: 'No Deployments or StatefulSets yet' },
    pods.length
      ? {
          title: 'Pods',
          items: [...phases.entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([label, value]) => ({ label, value })),
        }
      : { title: 'Pods', message: 'No pods' },
  ];
}

import { KubernetesObject } from '@kubernetes/client-node';

/** A status condition, as Deployments, ReplicaSets and Pods report them. */
interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** The parts of a Deployment a rollout is judged by. */
export interface Deployment extends KubernetesObject {
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    conditions?: Condition[];
  };
}

export interface ReplicaSet extends KubernetesObject {
  status?: {
    conditions?: Condition[];
  };
}

interface ContainerStatus {
  name: string;
  ready?: boolean;
  state?: {
    waiting?: { reason?: string; message?: string };
    terminated?: { reason?: string; message?: string; exitCode?: number };
  };
}

export interface Pod extends KubernetesObject {
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: Condition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

/** Container waiting reasons that do not go away by waiting. */
export const FAILED_WAITING_REASONS = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
]);

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

/** The ReplicaSet of the Deployment's current revision, if the controller made it yet. */
export function currentReplicaSet(
  deployment: Deployment,
  replicaSets: ReplicaSet[],
): ReplicaSet | undefined {
  const revision = deployment.metadata?.annotations?.[REVISION_ANNOTATION];
  return replicaSets.find(
    rs =>
      rs.metadata?.ownerReferences?.some(
        o => o.uid === deployment.metadata?.uid,
      ) && rs.metadata?.annotations?.[REVISION_ANNOTATION] === revision,
  );
}

export function podsOf(replicaSet: ReplicaSet | undefined, pods: Pod[]): Pod[] {
  const uid = replicaSet?.metadata?.uid;
  return uid
    ? pods.filter(
        p =>
          !p.metadata?.deletionTimestamp &&
          p.status?.phase !== 'Succeeded' &&
          p.metadata?.ownerReferences?.some(o => o.uid === uid),
      )
    : [];
}

export function isPodReady(pod: Pod): boolean {
  return (
    pod.status?.phase === 'Running' &&
    !!pod.status.conditions?.some(
      c => c.type === 'Ready' && c.status === 'True',
    )
  );
}

/** Why the rollout cannot succeed without a change; empty while it still may. */
export function failuresOf(
  deployment: Deployment,
  replicaSet: ReplicaSet | undefined,
  pods: Pod[],
): string[] {
  const reasons: string[] = [];
  // Conditions of an older spec (e.g. a passed deadline of the last rollout) say
  // nothing about this one until the controller has seen it.
  const observed =
    (deployment.status?.observedGeneration ?? 0) >=
    (deployment.metadata?.generation ?? 1);
  const conditions = [
    ...(observed ? deployment.status?.conditions ?? [] : []),
    ...(replicaSet?.status?.conditions ?? []),
  ];
  const seen = new Set<string>();
  for (const c of conditions) {
    const failed =
      (c.type === 'ReplicaFailure' && c.status === 'True') ||
      (c.type === 'Progressing' && c.status === 'False');
    const text = `${c.type} ${c.reason ?? ''}: ${c.message ?? ''}`.trim();
    if (failed && !seen.has(text)) {
      seen.add(text);
      reasons.push(text);
    }
  }
  for (const pod of pods) {
    const name = pod.metadata?.name;
    if (pod.status?.phase === 'Failed') {
      reasons.push(
        `pod ${name} Failed${
          pod.status.reason ? ` (${pod.status.reason})` : ''
        }${pod.status.message ? `: ${pod.status.message}` : ''}`,
      );
      continue;
    }
    for (const container of [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
    ]) {
      const waiting = container.state?.waiting;
      if (waiting?.reason && FAILED_WAITING_REASONS.has(waiting.reason)) {
        reasons.push(
          `pod ${name} container ${container.name}: ${waiting.reason}${
            waiting.message ? `: ${waiting.message}` : ''
          }`,
        );
      }
    }
  }
  return reasons;
}

/** Whether the rollout is complete: the current spec's replicas all run and are Ready. */
export function isRolledOut(deployment: Deployment, pods: Pod[]): boolean {
  const replicas = deployment.spec?.replicas ?? 1;
  const status = deployment.status ?? {};
  return (
    (status.observedGeneration ?? 0) >=
      (deployment.metadata?.generation ?? 1) &&
    (status.updatedReplicas ?? 0) === replicas &&
    (status.readyReplicas ?? 0) === replicas &&
    (status.replicas ?? 0) === replicas &&
    pods.length === replicas &&
    pods.every(isPodReady)
  );
}

/** The state so far, for a timeout's message. */
export function describeState(
  deployment: Deployment | undefined,
  pods: Pod[],
): string {
  if (!deployment) {
    return 'the Deployment does not exist';
  }
  const replicas = deployment.spec?.replicas ?? 1;
  const status = deployment.status ?? {};
  const podStates = pods.map(pod => {
    const waiting = (pod.status?.containerStatuses ?? [])
      .map(c => c.state?.waiting?.reason)
      .filter(Boolean);
    const unscheduled = pod.status?.conditions?.find(
      c => c.type === 'PodScheduled' && c.status === 'False',
    );
    const detail = [
      ...waiting,
      ...(unscheduled
        ? [`${unscheduled.reason}: ${unscheduled.message ?? ''}`.trim()]
        : []),
    ];
    return `pod ${pod.metadata?.name} ${pod.status?.phase ?? 'Unknown'}${
      isPodReady(pod) ? ' and Ready' : ''
    }${detail.length ? ` (${detail.join(', ')})` : ''}`;
  });
  return [
    `${status.updatedReplicas ?? 0} of ${replicas} replicas updated, ${
      status.readyReplicas ?? 0
    } ready`,
    ...(podStates.length ? podStates : ['no pods of the current revision']),
  ].join('; ');
}

import { Config } from '@backstage/config';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  AppsV1Api,
  CoreV1Api,
  CoreV1Event,
  KubeConfig,
  PatchStrategy,
  V1Deployment,
  V1Pod,
  V1ReplicaSet,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { readKubeConfig, statusOf } from '@paved/kubernetes-access';

/** The field manager runbooks write Deployments as. */
const RUNBOOKS_FIELD_MANAGER = 'paved-runbooks';
/** The annotation Deployments and ReplicaSets carry their rollout revision in. */
const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

/** A JSON patch operation (RFC 6902). */
export type JsonPatchOperation = {
  op: 'add' | 'replace' | 'remove' | 'test';
  path: string;
  value?: unknown;
};

/**
 * The Kubernetes API runbooks act on, from `paved.runbooks.kubernetes` (as
 * `readKubeConfig` reads and checks it) or the pod's service account. Without
 * either, the module starts and only the Kubernetes actions fail, saying what to
 * configure.
 */
export class RunbookKubernetes {
  static fromConfig(config: Config): RunbookKubernetes {
    const key = 'paved.runbooks.kubernetes';
    try {
      return new RunbookKubernetes(readKubeConfig(config, key));
    } catch (error) {
      return new RunbookKubernetes(undefined, error as Error);
    }
  }

  constructor(
    private readonly kubeConfig?: KubeConfig,
    private readonly unavailable?: Error,
  ) {}

  /** Whether the Kubernetes actions can run. */
  get configured(): boolean {
    return this.kubeConfig !== undefined;
  }

  private apps(): AppsV1Api {
    return this.config().makeApiClient(AppsV1Api);
  }

  private core(): CoreV1Api {
    return this.config().makeApiClient(CoreV1Api);
  }

  private config(): KubeConfig {
    if (!this.kubeConfig) {
      throw new Error(
        `Kubernetes is not configured for runbooks: ${
          this.unavailable?.message ?? 'set paved.runbooks.kubernetes'
        }`,
      );
    }
    return this.kubeConfig;
  }

  async readDeployment(namespace: string, name: string): Promise<V1Deployment> {
    try {
      return await this.apps().readNamespacedDeployment({ namespace, name });
    } catch (error) {
      if (statusOf(error).code === 404) {
        throw new NotFoundError(
          `Unable to find deployment '${name}' in namespace '${namespace}'`,
        );
      }
      throw error;
    }
  }

  /** A strategic merge patch (or a JSON patch, for a list of operations). */
  async patchDeployment(options: {
    namespace: string;
    name: string;
    patch: object | JsonPatchOperation[];
    dryRun?: boolean;
  }): Promise<V1Deployment> {
    const { namespace, name, patch, dryRun } = options;
    try {
      return await this.apps().patchNamespacedDeployment(
        {
          namespace,
          name,
          body: patch,
          dryRun: dryRun ? 'All' : undefined,
          fieldManager: RUNBOOKS_FIELD_MANAGER,
        },
        setHeaderOptions(
          'Content-Type',
          Array.isArray(patch)
            ? PatchStrategy.JsonPatch
            : PatchStrategy.StrategicMergePatch,
        ),
      );
    } catch (error) {
      const { code, message } = statusOf(error);
      if (code === 404) {
        throw new NotFoundError(
          `Unable to find deployment '${name}' in namespace '${namespace}'`,
        );
      }
      if (code === 422 || code === 400) {
        throw new InputError(
          `Kubernetes refused the change to deployment '${name}': ${message}`,
        );
      }
      throw error;
    }
  }

  /** The ReplicaSets the Deployment owns, oldest revision first. */
  async replicaSetsOf(deployment: V1Deployment): Promise<V1ReplicaSet[]> {
    const namespace = deployment.metadata!.namespace!;
    const labels = deployment.spec?.selector?.matchLabels ?? {};
    const { items } = await this.apps().listNamespacedReplicaSet({
      namespace,
      labelSelector: Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    });
    return items
      .filter(rs =>
        rs.metadata?.ownerReferences?.some(
          owner => owner.uid === deployment.metadata?.uid,
        ),
      )
      .sort((a, b) => revisionOf(a) - revisionOf(b));
  }

  async listPods(namespace: string, labelSelector?: string): Promise<V1Pod[]> {
    return (await this.core().listNamespacedPod({ namespace, labelSelector }))
      .items;
  }

  async listDeployments(
    namespace: string,
    labelSelector?: string,
  ): Promise<V1Deployment[]> {
    return (
      await this.apps().listNamespacedDeployment({ namespace, labelSelector })
    ).items;
  }

  async listReplicaSets(
    namespace: string,
    labelSelector?: string,
  ): Promise<V1ReplicaSet[]> {
    return (
      await this.apps().listNamespacedReplicaSet({ namespace, labelSelector })
    ).items;
  }

  async listEvents(namespace: string): Promise<CoreV1Event[]> {
    return (await this.core().listNamespacedEvent({ namespace })).items;
  }
}

/** The rollout revision of a Deployment or ReplicaSet; 0 if it has none. */
export function revisionOf(object: {
  metadata?: { annotations?: Record<string, string> };
}): number {
  return Number(object.metadata?.annotations?.[REVISION_ANNOTATION] ?? 0) || 0;
}

/**
 * The leaves under `spec` that differ between two versions of an object, as
 * `path: before → after` lines: what a dry run would change.
 */
export function changedFields(before: unknown, after: unknown): string[] {
  const lines: string[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    // A map that appears or goes is reported field by field.
    if (
      (isObject(a) || a === undefined) &&
      (isObject(b) || b === undefined) &&
      (isObject(a) || isObject(b))
    ) {
      const x = (a ?? {}) as Record<string, unknown>;
      const y = (b ?? {}) as Record<string, unknown>;
      for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) {
        walk(x[key], y[key], path ? `${path}.${key}` : key);
      }
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      lines.push(`${path}: ${show(a)} → ${show(b)}`);
    }
  };
  walk(
    (before as { spec?: unknown })?.spec,
    (after as { spec?: unknown })?.spec,
    'spec',
  );
  return lines;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}

import { AppsV1Api, V1Deployment } from '@kubernetes/client-node';
import { loadKubeConfig, TestCluster, waitFor } from '@paved/kube-test-utils';
import { RunbookKubernetes } from '../kubernetes/RunbookKubernetes';

/** A Deployment of `replicas` pods labelled for Backstage as `name`. */
export function deployment(
  namespace: string,
  name: string,
  options: { replicas?: number; image?: string; maxReplicas?: number } = {},
): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace,
      labels: { 'backstage.io/kubernetes-id': name },
      annotations: options.maxReplicas
        ? { 'paved.dev/max-replicas': String(options.maxReplicas) }
        : undefined,
    },
    spec: {
      replicas: options.replicas ?? 2,
      revisionHistoryLimit: 5,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: {
          labels: { app: name, 'backstage.io/kubernetes-id': name },
        },
        spec: {
          containers: [
            {
              name: 'app',
              image: options.image ?? `registry.example/${name}:1.0.0`,
            },
          ],
        },
      },
    },
  };
}

/** Creates the Deployment and waits until its pods run on the kwok nodes. */
export async function createReadyDeployment(
  cluster: TestCluster,
  object: V1Deployment,
): Promise<V1Deployment> {
  const apps = cluster.kubeConfig.makeApiClient(AppsV1Api);
  const { namespace, name } = object.metadata as {
    namespace: string;
    name: string;
  };
  await apps.createNamespacedDeployment({ namespace, body: object });
  return waitForRollout(cluster, namespace, name);
}

/** The Deployment once its rollout is complete (every replica updated and ready). */
export async function waitForRollout(
  cluster: TestCluster,
  namespace: string,
  name: string,
): Promise<V1Deployment> {
  const apps = cluster.kubeConfig.makeApiClient(AppsV1Api);
  return waitFor(
    `deployment ${namespace}/${name} to roll out`,
    async () => {
      const d = await apps.readNamespacedDeployment({ namespace, name });
      const replicas = d.spec?.replicas ?? 1;
      const s = d.status ?? {};
      return (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
        s.updatedReplicas === replicas &&
        s.readyReplicas === replicas &&
        s.replicas === replicas
        ? d
        : undefined;
    },
    { timeoutMs: 60_000 },
  );
}

/** The runbook actions' view of the cluster, as the portal's RBAC-limited identity. */
export function portalKubernetes(cluster: TestCluster): RunbookKubernetes {
  return new RunbookKubernetes(loadKubeConfig(cluster.portalKubeconfigPath));
}

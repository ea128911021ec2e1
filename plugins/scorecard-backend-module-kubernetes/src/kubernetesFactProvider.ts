import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { AppsV1Api, KubeConfig, V1Deployment } from '@kubernetes/client-node';
import { FactBatch, FactProvider } from '@paved/plugin-scorecard-node';

/** The label Backstage's Kubernetes plugin uses to find a component's workloads. */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';
const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
const NAMESPACE_ANNOTATION = 'backstage.io/kubernetes-namespace';

/** Facts of a component's Deployments. */
function deploymentFacts(deployments: V1Deployment[]) {
  const containers = deployments.flatMap(
    d => d.spec?.template.spec?.containers ?? [],
  );
  const some = containers.length > 0;
  return {
    'kubernetes.deployments': deployments.length,
    'kubernetes.allProbes':
      some && containers.every(c => c.readinessProbe && c.livenessProbe),
    'kubernetes.allLimits':
      some &&
      containers.every(
        c => c.resources?.limits?.cpu && c.resources?.limits?.memory,
      ),
    'kubernetes.minReplicas': deployments.length
      ? Math.min(...deployments.map(d => d.spec?.replicas ?? 1))
      : 0,
  };
}

/**
 * Reads, per namespace, the Deployments labelled `backstage.io/kubernetes-id` (one
 * list call per namespace, not per entity) and scores those of each component: the
 * component's `backstage.io/kubernetes-id` annotation (default: its name) in the
 * namespace of `backstage.io/kubernetes-namespace` (default: its catalog namespace).
 */
export function createKubernetesFactProvider(
  kubeConfig: KubeConfig,
): FactProvider {
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  return {
    id: 'kubernetes',
    facts: [
      {
        id: 'kubernetes.deployments',
        type: 'number',
        description: 'Deployments labelled with its kubernetes-id',
      },
      {
        id: 'kubernetes.allProbes',
        type: 'boolean',
        description: 'Every container has readiness and liveness probes',
      },
      {
        id: 'kubernetes.allLimits',
        type: 'boolean',
        description: 'Every container has cpu and memory limits',
      },
      {
        id: 'kubernetes.minReplicas',
        type: 'number',
        description: 'The fewest replicas of its Deployments',
      },
    ],
    entityFilter: (e: Entity) =>
      e.kind.toLocaleLowerCase('en-US') === 'component',
    async retrieve(entities, ctx) {
      const byNamespace = new Map<string, Entity[]>();
      for (const e of entities) {
        const ns =
          e.metadata.annotations?.[NAMESPACE_ANNOTATION] ??
          e.metadata.namespace ??
          'default';
        byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), e]);
      }
      const result: FactBatch = new Map();
      await Promise.all(
        [...byNamespace].map(async ([namespace, members]) => {
          let items: V1Deployment[];
          try {
            items = (
              await apps.listNamespacedDeployment({
                namespace,
                labelSelector: KUBERNETES_ID_LABEL,
              })
            ).items;
          } catch (error) {
            ctx.logger.warn(
              `Scorecard: Deployments of namespace ${namespace}: ${error}`,
            );
            return;
          }
          for (const e of members) {
            const id =
              e.metadata.annotations?.[KUBERNETES_ID_ANNOTATION] ??
              e.metadata.name;
            result.set(
              stringifyEntityRef(e).toLocaleLowerCase('en-US'),
              deploymentFacts(
                items.filter(
                  d => d.metadata?.labels?.[KUBERNETES_ID_LABEL] === id,
                ),
              ),
            );
          }
        }),
      );
      return result;
    },
  };
}

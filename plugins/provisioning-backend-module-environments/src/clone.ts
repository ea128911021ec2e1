import { KubernetesObject } from '@kubernetes/client-node';
import { forEachLimited, KubernetesObjects } from './kubernetes';

/**
 * The kinds a clone copies. Secrets are never copied: an environment's credentials
 * are its own, and the portal's identity must not read another team's.
 */
const CLONED_KINDS = [
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
] as const;

/** Objects every namespace gets from Kubernetes itself, never copied. */
const SKIPPED = new Set(['ConfigMap/kube-root-ca.crt']);

/**
 * The label of the objects a `workload` request (a Score workload) rendered. They are
 * not cloned: the copy gets a workload request of its own (the workload type declares
 * `environmentCopy`), which renders them again wired to the copy's own resources; a
 * clone would point at the source's Secrets, which the copy does not have.
 */
const WORKLOAD_LABEL = 'paved.dev/workload';

/** Annotations that describe the source object's history, not its intent. */
const DROPPED_ANNOTATIONS = [
  'deployment.kubernetes.io/revision',
  'kubectl.kubernetes.io/last-applied-configuration',
];

/** The label that says which environment an object was copied from. */
const CLONED_FROM_LABEL = 'paved.dev/cloned-from';

/** How many objects are applied at once while cloning. */
const CLONE_CONCURRENCY = 8;

type Json = Record<string, any>;

/** Sets `image` on every container of a Deployment's or StatefulSet's pod template. */
function replaceImages(object: Json, image: string): void {
  for (const container of object.spec?.template?.spec?.containers ?? []) {
    container.image = image;
  }
}

/**
 * The copy of `source` for `namespace`: its intent without what the API server
 * recorded about the original (uid, resourceVersion, managedFields, status,
 * allocated cluster IPs and node ports, ...).
 */
function copyFor(
  source: KubernetesObject,
  namespace: string,
  options: { sourceEnvironment: string; image?: string },
): KubernetesObject {
  const copy: Json = JSON.parse(JSON.stringify(source));
  delete copy.status;
  const metadata: Json = copy.metadata ?? {};
  copy.metadata = {
    name: metadata.name,
    namespace,
    labels: {
      ...metadata.labels,
      [CLONED_FROM_LABEL]: options.sourceEnvironment,
    },
    ...(metadata.annotations ? { annotations: metadata.annotations } : {}),
  };
  for (const key of DROPPED_ANNOTATIONS) {
    delete copy.metadata.annotations?.[key];
  }
  if (
    copy.metadata.annotations &&
    !Object.keys(copy.metadata.annotations).length
  ) {
    delete copy.metadata.annotations;
  }
  if (copy.kind === 'Service' && copy.spec) {
    // Allocated by the API server for the original; the copy gets its own.
    delete copy.spec.clusterIP;
    delete copy.spec.clusterIPs;
    delete copy.spec.healthCheckNodePort;
    for (const port of copy.spec.ports ?? []) {
      delete port.nodePort;
    }
  }
  if (
    options.image &&
    (copy.kind === 'Deployment' || copy.kind === 'StatefulSet')
  ) {
    replaceImages(copy, options.image);
  }
  return copy as KubernetesObject;
}

/**
 * Copies the ConfigMaps, Services, Deployments, StatefulSets and Ingresses of
 * `from` (but those of Score workloads) into `to` by server-side apply, so that a repeat (a resumed step) changes
 * nothing; returns how many objects it applied.
 */
export async function cloneNamespace(options: {
  objects: KubernetesObjects;
  from: string;
  to: string;
  sourceEnvironment: string;
  image?: string;
  signal?: AbortSignal;
}): Promise<number> {
  const { objects, from, to, signal } = options;
  const listed = await Promise.all(
    CLONED_KINDS.map(({ apiVersion, kind }) =>
      objects.list(apiVersion, kind, from, signal),
    ),
  );
  // One queue for all kinds: the API server does not need ConfigMaps before the
  // Deployments that mount them (pods wait), and one queue keeps 8 calls in flight.
  const copies = listed
    .flat()
    .filter(
      item =>
        !SKIPPED.has(`${item.kind}/${item.metadata?.name}`) &&
        item.metadata?.labels?.[WORKLOAD_LABEL] === undefined,
    )
    .map(item => copyFor(item, to, options));
  let applied = 0;
  await forEachLimited(copies, CLONE_CONCURRENCY, async copy => {
    signal?.throwIfAborted();
    await objects.apply(copy);
    applied += 1;
  });
  return applied;
}

import { KubernetesObject } from '@kubernetes/client-node';
import type {
  DesiredObject,
  KubernetesObjects,
} from '@paved/plugin-provisioning-backend-module-environments';
import { MANAGED_BY_LABEL } from '@paved/kubernetes-access';
import { WORKLOAD_LABEL } from '../render/names';

/**
 * The kinds `renderWorkload` makes, in the order they are applied: what a pod
 * mounts before the Deployment that starts it, the Ingress after its Service.
 */
export const RENDERED_KINDS = [
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' },
] as const;

/** @public */
export interface ApplyRenderedOptions {
  namespace: string;
  /** The workload's name (Score `metadata.name`): its objects carry it as a label. */
  workload: string;
  rendered: DesiredObject[];
  signal?: AbortSignal;
}

/** @public */
export interface ApplyRenderedResult {
  /** The objects as the API server answered the apply. */
  applied: KubernetesObject[];
  /** `Kind/name` of the objects deleted because they are no longer rendered. */
  pruned: string[];
}

const rank = (kind?: string) => {
  const index = RENDERED_KINDS.findIndex(k => k.kind === kind);
  return index < 0 ? RENDERED_KINDS.length : index;
};

/**
 * Server-side applies the rendered objects (as Paved's field manager, forced), then
 * deletes the workload's objects of the rendered kinds that are no longer rendered,
 * e.g. the Ingress when the last route is removed. Only objects labelled as Paved's
 * and as this workload's are ever deleted.
 *
 * @public
 */
export async function applyRendered(
  objects: KubernetesObjects,
  options: ApplyRenderedOptions,
): Promise<ApplyRenderedResult> {
  const { namespace, workload, signal } = options;
  const ordered = [...options.rendered].sort(
    (a, b) => rank(a.kind) - rank(b.kind),
  );
  const applied: KubernetesObject[] = [];
  for (const object of ordered) {
    signal?.throwIfAborted();
    applied.push(
      await objects.apply({
        ...object,
        metadata: { ...object.metadata, namespace },
      }),
    );
  }
  const kept = new Set(ordered.map(o => `${o.kind}/${o.metadata.name}`));
  const pruned: string[] = [];
  for (const { apiVersion, kind } of RENDERED_KINDS) {
    const live = await objects.list(apiVersion, kind, namespace, signal);
    for (const object of live) {
      const labels = object.metadata?.labels ?? {};
      const name = object.metadata?.name;
      if (
        !name ||
        labels[WORKLOAD_LABEL] !== workload ||
        labels[MANAGED_BY_LABEL] !== 'paved' ||
        kept.has(`${kind}/${name}`)
      ) {
        continue;
      }
      signal?.throwIfAborted();
      if (
        await objects.delete({
          apiVersion,
          kind,
          metadata: { name, namespace },
        })
      ) {
        pruned.push(`${kind}/${name}`);
      }
    }
  }
  return { applied, pruned };
}

import { StatusContext } from '@paved/plugin-provisioning-node';
import { correctDrift } from '../drift';
import { KubernetesObjects } from '../kubernetes';
import { guardRailManifests } from '../manifests';
import { EnvironmentNamespaces } from './EnvironmentNamespaces';
import { EnvironmentParameters } from './parameters';

/**
 * The `reconcile` hook: puts back the guard rails someone changed or removed, and
 * reports a namespace that is gone or going.
 */
export async function reconcileEnvironment(
  deps: { namespaces: EnvironmentNamespaces; objects: KubernetesObjects },
  ctx: StatusContext<EnvironmentParameters>,
): Promise<string[]> {
  const namespace = deps.namespaces.nameOf(ctx);
  // A deleted namespace took the team's workloads with it; recreating an empty
  // one would hide that. It is reported, and the owners decide (delete or
  // re-request).
  const existing = await deps.namespaces.read(namespace);
  if (!existing) {
    return [`namespace ${namespace} is gone`];
  }
  if (existing.metadata?.deletionTimestamp) {
    return [`namespace ${namespace} is being deleted`];
  }
  return correctDrift(
    deps.objects,
    guardRailManifests(deps.namespaces.specOf(ctx)),
  );
}

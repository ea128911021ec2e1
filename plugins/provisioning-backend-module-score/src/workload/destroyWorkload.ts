import { ProvisioningApiError } from '@paved/plugin-provisioning-backend-module-environments';
import { StepContext } from '@paved/plugin-provisioning-node';
import { WorkloadDeps } from './deployWorkload';
import { WorkloadParameters } from './parameters';

const workloadNameOf = (ctx: StepContext<WorkloadParameters>) => {
  const recorded = ctx.outputs.workload;
  if (typeof recorded === 'string') {
    return recorded;
  }
  const spec = ctx.request.parameters.workload as {
    metadata?: { name?: unknown };
  };
  return typeof spec.metadata?.name === 'string'
    ? spec.metadata.name
    : undefined;
};

/**
 * The `destroy` step: deletes the workload's objects from the namespace it was
 * deployed into and the requests it made for its resources (shared ones, by `id`,
 * stay). Succeeds when they are gone already or were never made.
 */
export async function destroyWorkload(
  deps: Pick<WorkloadDeps, 'cluster' | 'provisioning'>,
  ctx: StepContext<WorkloadParameters>,
): Promise<void> {
  const namespace = ctx.outputs.namespace;
  const workload = workloadNameOf(ctx);
  if (typeof namespace === 'string' && workload) {
    const removed = await deps.cluster.remove({
      namespace,
      workload,
      signal: ctx.signal,
    });
    if (removed.length > 0) {
      ctx.logger.info(
        `Deleted ${removed.join(', ')} from namespace '${namespace}'`,
      );
    }
  }
  const owned = Array.isArray(ctx.outputs.ownedResources)
    ? ctx.outputs.ownedResources.filter(
        (id): id is string => typeof id === 'string',
      )
    : [];
  for (const id of owned) {
    await deps.provisioning.deleteRequest(id).catch(error => {
      // Gone already (deleted with the environment, say).
      if (!(error instanceof ProvisioningApiError && error.status === 404)) {
        throw error;
      }
    });
  }
}

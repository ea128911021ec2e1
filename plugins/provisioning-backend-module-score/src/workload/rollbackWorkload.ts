import { DeploymentRecord } from '@paved/plugin-deployments-common';
import {
  ActionStepContext,
  NonRetryableError,
} from '@paved/plugin-provisioning-node';
import { deployWorkload, WorkloadDeps } from './deployWorkload';
import { WorkloadParameters } from './parameters';

/**
 * The deployment a rollback puts back: `to` when given (a succeeded deployment of
 * this request), else the one before the newest succeeded (the running) one.
 */
async function rollbackTarget(
  deps: WorkloadDeps,
  requestId: string,
  to: string | undefined,
): Promise<string> {
  if (to) {
    const chosen = await deps.store.get(to);
    if (!chosen || chosen.requestId !== requestId) {
      throw new NonRetryableError(
        `input.to: there is no deployment '${to}' of this workload`,
      );
    }
    if (chosen.status !== 'succeeded') {
      throw new NonRetryableError(
        `input.to: deployment '${to}' did not succeed (${chosen.status}); roll back to one that did`,
      );
    }
    return chosen.id;
  }
  const running = await deps.store.previousSucceeded(requestId);
  const previous =
    running && (await deps.store.previousSucceeded(requestId, running.id));
  if (!previous) {
    throw new NonRetryableError(
      'input.to: there is no earlier successful deployment to roll back to',
    );
  }
  return previous.id;
}

/**
 * The `rollback` action: redeploys an earlier deployment's version (its image and
 * its Score workload as deployed), recorded as a rollback of it.
 */
export async function rollbackWorkload(
  deps: WorkloadDeps,
  ctx: ActionStepContext<WorkloadParameters>,
): Promise<DeploymentRecord> {
  const to = typeof ctx.input.to === 'string' ? ctx.input.to : undefined;
  // Chosen once: after this rollback succeeds, "the previous one" is another.
  const targetId = await ctx.checkpoint({
    key: 'rollback-target',
    fn: () => rollbackTarget(deps, ctx.request.id, to),
  });
  const target = await deps.store.get(targetId);
  if (!target) {
    throw new NonRetryableError(`input.to: deployment '${targetId}' is gone`);
  }
  return deployWorkload(deps, ctx, {
    image: target.image,
    ...(target.gitRef ? { gitRef: target.gitRef } : {}),
    ...(target.commitTime ? { commitTime: target.commitTime } : {}),
    workload: target.spec,
    kind: 'rollback',
    rollbackOf: target.id,
  });
}

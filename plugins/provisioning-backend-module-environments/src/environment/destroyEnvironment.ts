import { StepContext } from '@paved/plugin-provisioning-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { deleteAttachedResources } from '../deleteAttachedResources';
import { KubernetesObjects } from '../kubernetes';
import { ProvisioningCalls } from '../provisioningApi/ProvisioningCalls';
import { EnvironmentNamespaces } from './EnvironmentNamespaces';
import { EnvironmentParameters } from './parameters';

/** How long `destroy` waits for the namespace to finalize before it retries. */
const DELETION_WAIT_MS = 120_000;

/**
 * The `destroy` step: the attached resources (of any type) first, then the namespace (only if it
 * is this environment's), returning once it has finalized.
 */
export async function destroyEnvironment(
  deps: {
    namespaces: EnvironmentNamespaces;
    objects: KubernetesObjects;
    provisioning?: ProvisioningCalls;
    /** How long to wait for attached resources to go; 2 minutes if absent. */
    attachedDeletionWaitMs?: number;
  },
  ctx: StepContext<EnvironmentParameters>,
): Promise<void> {
  const { namespaces } = deps;
  const namespace = namespaces.nameOf(ctx);
  // The attached resources first: their Secrets live in the namespace, and a
  // resource whose environment is gone would be nobody's.
  const deleted = await deleteAttachedResources({
    calls: deps.provisioning,
    requests: ctx.requests,
    environment: ctx.request.name,
    signal: ctx.signal,
    log: message => ctx.logger.info(message),
    timeoutMs: deps.attachedDeletionWaitMs,
  });
  if (deleted > 0) {
    ctx.logger.info(`Deleted ${deleted} attached resource(s)`);
  }
  const existing = await namespaces.read(namespace);
  if (!existing) {
    ctx.logger.info(`Namespace '${namespace}' was already gone`);
    return;
  }
  if (!namespaces.isOurs(existing, ctx.request.id)) {
    // Provisioning refused it: the namespace belongs to someone else.
    ctx.logger.info(
      `Namespace '${namespace}' is not this environment's; leaving it`,
    );
    return;
  }
  if (!existing.metadata?.deletionTimestamp) {
    await deps.objects.delete({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace },
    });
  }
  const deadline = Date.now() + DELETION_WAIT_MS;
  while (await namespaces.read(namespace)) {
    if (Date.now() > deadline) {
      // Retried by the worker; a namespace that never finalizes usually has a
      // finalizer of a controller that is not running.
      throw new Error(
        `namespace '${namespace}' is still terminating after ${
          DELETION_WAIT_MS / 1000
        } s`,
      );
    }
    await sleep(500, undefined, { signal: ctx.signal });
  }
  ctx.logger.info(`Deleted namespace '${namespace}'`);
}

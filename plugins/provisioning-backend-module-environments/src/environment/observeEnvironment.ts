import { ObserveResult, StepContext } from '@paved/plugin-provisioning-node';
import { databaseReadiness } from '../databases';
import { KubernetesObjects } from '../kubernetes';
import { readiness } from '../workloads';
import { EnvironmentNamespaces } from './EnvironmentNamespaces';
import { EnvironmentParameters } from './parameters';

/**
 * The `observe` step: ready once the namespace exists, every attached database is
 * usable and every workload runs; the message says what is still awaited.
 */
export async function observeEnvironment(
  deps: { namespaces: EnvironmentNamespaces; objects: KubernetesObjects },
  ctx: StepContext<EnvironmentParameters>,
): Promise<ObserveResult> {
  const namespace = deps.namespaces.nameOf(ctx);
  if (!(await deps.namespaces.read(namespace))) {
    return {
      ready: false,
      message: `namespace '${namespace}' does not exist (yet)`,
    };
  }
  const databases = await databaseReadiness(ctx.requests, ctx.request.name);
  if (!databases.ready) {
    return databases;
  }
  const workloads = await readiness(deps.objects, namespace, ctx.signal);
  return databases.message && workloads.ready
    ? {
        ready: true,
        message: [workloads.message, databases.message]
          .filter(Boolean)
          .join('; '),
      }
    : workloads;
}

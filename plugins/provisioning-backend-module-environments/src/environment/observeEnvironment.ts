import { ObserveResult, StepContext } from '@paved/plugin-provisioning-node';
import { attachedReadiness } from '../attachedResources';
import { KubernetesObjects } from '../kubernetes';
import { readiness } from '../workloads';
import { EnvironmentNamespaces } from './EnvironmentNamespaces';
import { EnvironmentParameters } from './parameters';

/**
 * The `observe` step: ready once the namespace exists, every attached resource (of
 * any type) is usable and every workload runs; the message says what is still
 * awaited.
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
  const attached = await attachedReadiness(ctx.requests, ctx.request.name);
  if (!attached.ready) {
    return attached;
  }
  const workloads = await readiness(deps.objects, namespace, ctx.signal);
  return attached.message && workloads.ready
    ? {
        ready: true,
        message: [workloads.message, attached.message]
          .filter(Boolean)
          .join('; '),
      }
    : workloads;
}

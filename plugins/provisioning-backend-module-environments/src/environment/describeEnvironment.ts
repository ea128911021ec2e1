import { ResourceStatus } from '@paved/plugin-provisioning-common';
import { StatusContext } from '@paved/plugin-provisioning-node';
import { attachedResourcesSection } from '../attachedResources';
import { KubernetesObjects } from '../kubernetes';
import { environmentStatus } from '../workloads';
import { EnvironmentNamespaces } from './EnvironmentNamespaces';
import { EnvironmentParameters } from './parameters';

/**
 * The `status` hook: the workloads in the namespace and the resources attached to
 * the environment, or that the namespace is gone.
 */
export async function describeEnvironment(
  deps: { namespaces: EnvironmentNamespaces; objects: KubernetesObjects },
  ctx: StatusContext<EnvironmentParameters>,
): Promise<ResourceStatus> {
  const namespace = deps.namespaces.nameOf(ctx);
  if (!(await deps.namespaces.read(namespace))) {
    return {
      sections: [
        { title: 'Namespace', message: `namespace '${namespace}' is gone` },
      ],
    };
  }
  const attached = await attachedResourcesSection(
    ctx.requests,
    ctx.request.name,
  );
  return {
    sections: [
      ...(await environmentStatus(deps.objects, namespace, ctx.signal)),
      ...(attached ? [attached] : []),
    ],
  };
}

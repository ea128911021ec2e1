import {
  NonRetryableError,
  StepContext,
} from '@paved/plugin-provisioning-node';
import { cloneNamespace } from '../clone';
import { copyAttachedResources } from '../copyAttachedResources';
import { KubernetesObjects } from '../kubernetes';
import { ProvisioningCalls } from '../provisioningApi/ProvisioningCalls';
import { EnvironmentParameters } from './parameters';
import { RESOURCE_TYPE_ID } from './resourceTypeId';

/**
 * The part of `provision` that makes an environment a copy of `source`: the
 * source's workloads copied into the new namespace (never its Secrets), then
 * resources of its own for those attached to the source, of any type. Each part is a checkpoint,
 * so a resumed step does not copy again.
 */
export async function copySourceEnvironment(
  deps: { objects: KubernetesObjects; provisioning?: ProvisioningCalls },
  ctx: StepContext<EnvironmentParameters>,
  options: { source: string; namespace: string; image?: string },
): Promise<void> {
  const { source, namespace, image } = options;
  const cloned = await ctx.checkpoint({
    key: 'clone',
    fn: async () => {
      const referenced = await ctx.requests.findActive(
        RESOURCE_TYPE_ID,
        source,
      );
      if (!referenced) {
        throw new NonRetryableError(
          `source environment '${source}' does not exist (any more)`,
        );
      }
      const from =
        typeof referenced.outputs.namespace === 'string'
          ? referenced.outputs.namespace
          : referenced.name;
      const count = await cloneNamespace({
        objects: deps.objects,
        from,
        to: namespace,
        sourceEnvironment: source,
        image,
        signal: ctx.signal,
      });
      ctx.logger.info(
        `Copied ${count} object(s) from namespace '${from}' into '${namespace}'`,
      );
      return count;
    },
  });
  await ctx.setOutput('clonedFrom', source);
  await ctx.setOutput('clonedObjects', cloned);
  // Before the attached resources: their Secrets go into this namespace.
  await ctx.setOutput('namespace', namespace);
  const attached = await ctx.checkpoint({
    key: 'clone-attached',
    fn: () =>
      copyAttachedResources({
        calls: deps.provisioning,
        requests: ctx.requests,
        source,
        environment: ctx.request,
        seed: ctx.request.parameters.seedDatabases === true,
        signal: ctx.signal,
        log: message => ctx.logger.info(message),
      }),
  });
  await ctx.setOutput('attachedResources', attached);
}

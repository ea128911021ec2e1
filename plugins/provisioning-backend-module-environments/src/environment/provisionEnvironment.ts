import {
  NonRetryableError,
  StepContext,
} from '@paved/plugin-provisioning-node';
import { KubernetesObjects } from '../kubernetes';
import { guardRailManifests, namespaceManifest } from '../manifests';
import { ProvisioningCalls } from '../provisioningApi/ProvisioningCalls';
import { copySourceEnvironment } from './copySourceEnvironment';
import { EnvironmentNamespaces } from './EnvironmentNamespaces';
import { EnvironmentParameters } from './parameters';

/** Objects with this label stay off the environment's Kubernetes tab. */
const HIDDEN_LABEL = 'paved.dev/hidden';

/**
 * The `provision` step: the namespace (refused when someone else's has the name),
 * its guard rails (quota, limits, network policy, the team's role binding), the
 * copy of the source when there is one, and the outputs the catalog and the
 * request page read.
 */
export async function provisionEnvironment(
  deps: {
    namespaces: EnvironmentNamespaces;
    objects: KubernetesObjects;
    provisioning?: ProvisioningCalls;
  },
  ctx: StepContext<EnvironmentParameters>,
): Promise<void> {
  const { namespaces, objects } = deps;
  const spec = namespaces.specOf(ctx);
  const { name } = spec;
  await ctx.checkpoint({
    key: 'namespace',
    fn: async () => {
      const existing = await namespaces.read(name);
      if (existing && !namespaces.isOurs(existing, ctx.request.id)) {
        throw new NonRetryableError(
          `namespace '${name}' already exists and is not this environment's; choose another name`,
        );
      }
      await objects.apply(namespaceManifest(spec));
    },
  });
  await ctx.checkpoint({
    key: 'guard-rails',
    fn: async () => {
      await Promise.all(
        guardRailManifests(spec).map(object => objects.apply(object)),
      );
    },
  });
  const { source, image } = ctx.request.parameters;
  if (source) {
    await copySourceEnvironment(deps, ctx, { source, namespace: name, image });
  }
  await ctx.setOutput('namespace', name);
  // The environment's catalog Resource shows everything in its namespace on
  // its Kubernetes tab: the selector matches every object not hidden on purpose.
  await ctx.setOutput('catalogAnnotations', {
    'backstage.io/kubernetes-namespace': name,
    'backstage.io/kubernetes-label-selector': `!${HIDDEN_LABEL}`,
  });
  await ctx.setOutput('size', ctx.request.parameters.size);
  // Requests made before environments had stages have none: they are development's.
  await ctx.setOutput('stage', ctx.request.parameters.stage ?? 'development');
  if (image) {
    await ctx.setOutput('image', image);
  }
}

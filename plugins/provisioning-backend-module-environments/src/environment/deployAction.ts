import { ResourceTypeAction } from '@paved/plugin-provisioning-node';
import { KubernetesObjects } from '../kubernetes';
import { deployImage } from '../workloads';
import { EnvironmentNamespaces } from './EnvironmentNamespaces';
import { EnvironmentParameters, imageSchema } from './parameters';

/**
 * The `deploy` action: one image for every container of every Deployment and
 * StatefulSet in the environment, e.g. a new build of a pull request.
 */
export function createDeployAction(deps: {
  namespaces: EnvironmentNamespaces;
  objects: KubernetesObjects;
}): ResourceTypeAction<EnvironmentParameters> {
  return {
    title: 'Deploy an image',
    description:
      'Sets the image of every container of every Deployment and StatefulSet in the environment, e.g. a new build of a pull request.',
    parameters: {
      type: 'object',
      required: ['image'],
      additionalProperties: false,
      properties: {
        image: imageSchema(
          'The container image, e.g. ghcr.io/acme/orders:pr-12-3f2a1c.',
        ),
      },
    },
    async run(ctx) {
      const namespace = deps.namespaces.nameOf(ctx);
      const image = String(ctx.input.image);
      const changed = await deployImage(
        deps.objects,
        namespace,
        image,
        ctx.signal,
      );
      await ctx.setOutput('image', image);
      ctx.logger.info(
        `Deployed ${image} to ${changed} workload(s) in namespace '${namespace}'`,
      );
    },
  };
}

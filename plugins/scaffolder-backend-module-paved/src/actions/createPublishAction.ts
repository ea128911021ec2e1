import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { PublishTarget } from '../publish/PublishTarget';

/**
 * `paved:publish`: creates the new repository with the workspace's files, in the
 * target that config names (local git folder, GitHub or GitLab). Templates use this
 * one action everywhere, so the same golden path runs on a laptop and in production.
 */
export function createPublishAction(options: { target: PublishTarget }) {
  const { target } = options;
  return createTemplateAction({
    id: 'paved:publish',
    description:
      'Creates a repository with the workspace files in the publish target chosen by config (paved.scaffolder.publish.target)',
    supportsDryRun: true,
    examples: [
      {
        description: 'Publish the generated service',
        example:
          'steps:\n  - id: publish\n    action: paved:publish\n    input:\n      repoName: orders-api\n      description: Takes and tracks orders\n',
      },
    ],
    schema: {
      input: {
        repoName: z =>
          z
            .string()
            .describe(
              'Name of the repository to create (usually the component name)',
            ),
        description: z =>
          z
            .string()
            .optional()
            .describe('One-line description of the repository'),
      },
      output: {
        remoteUrl: z => z.string().describe('Clone URL of the new repository'),
        repoContentsUrl: z =>
          z.string().describe('Base URL of the files on the default branch'),
        catalogInfoUrl: z =>
          z.string().describe("URL of the repository's catalog-info.yaml"),
      },
    },
    async handler(ctx) {
      const { repoName, description } = ctx.input;
      let location;
      if (ctx.isDryRun) {
        location = target.locate(repoName);
        ctx.logger.info(
          `Dry run: would publish ${repoName} to ${target.title}`,
        );
      } else {
        // A recovered task must not create the repository twice.
        location = await ctx.checkpoint({
          key: `paved-publish-${repoName}`,
          fn: async () => ({
            ...(await target.publish(ctx, { repoName, description })),
          }),
        });
        ctx.logger.info(
          `Published ${repoName} to ${target.title}: ${location.remoteUrl}`,
        );
      }
      ctx.output('remoteUrl', location.remoteUrl);
      ctx.output('repoContentsUrl', location.repoContentsUrl);
      ctx.output('catalogInfoUrl', location.catalogInfoUrl);
    },
  });
}

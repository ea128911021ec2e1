import fs from 'node:fs/promises';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import {
  formatScoreProblems,
  parseScoreWorkload,
} from '@paved/plugin-deployments-common';
import { DeploymentsClient } from '../provisioning/DeploymentsClient';
import {
  rollOut,
  RolloutActionOptions,
  rolloutOutputs,
  timeoutMinutesInput,
} from './rollout';

/**
 * `paved:deploy`: deploys the workload of the repository's `score.yaml` with an image
 * into an environment through the deployments API, as the user who runs the
 * template, and follows the rollout (the workload request's timeline) until it is
 * ready or failed. The API validates the workload and the image and refuses, naming
 * the field, what it cannot deploy.
 */
export function createDeployAction(
  options: RolloutActionOptions & { deployments: DeploymentsClient },
) {
  const { deployments, ...rollout } = options;
  return createTemplateAction({
    id: 'paved:deploy',
    description:
      "Deploys the workload's score.yaml with an image into an environment and waits until it runs, logging its progress",
    supportsDryRun: true,
    examples: [
      {
        description: 'Deploy a new service to its development environment',
        example: [
          'steps:',
          '  - id: deploy',
          '    action: paved:deploy',
          '    input:',
          '      component: ${{ steps.register.output.entityRef }}',
          '      environment: orders-api-dev',
          '      image: ghcr.io/acme/orders-api:latest',
          '',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        component: z =>
          z
            .string()
            .describe(
              "The component's entity ref, e.g. component:default/orders-api",
            ),
        environment: z =>
          z.string().describe('The name of the environment to deploy to'),
        image: z =>
          z
            .string()
            .describe(
              "The image that replaces '.' in the workload's containers",
            ),
        scoreFile: z =>
          z
            .string()
            .optional()
            .describe(
              'The Score file, relative to the workspace (default score.yaml)',
            ),
        newestWorkload: z =>
          z
            .boolean()
            .optional()
            .describe(
              "Deploy the workload of the component's newest deployment instead of a Score file (runbooks, which have no workspace)",
            ),
        gitRef: z =>
          z
            .string()
            .optional()
            .describe('The git ref the image was built from'),
        timeoutMinutes: timeoutMinutesInput,
      },
      output: rolloutOutputs,
    },
    async handler(ctx) {
      const { component, environment, image, gitRef } = ctx.input;
      const scoreFile = ctx.input.scoreFile ?? 'score.yaml';
      // Without a Score file the deployments API deploys the component's newest workload.
      const workload = ctx.input.newestWorkload
        ? undefined
        : await readWorkload(ctx.workspacePath, scoreFile);
      const what = workload
        ? `workload '${String(
            (workload.metadata as JsonObject | undefined)?.name ?? '',
          )}'`
        : 'the workload of the newest deployment';

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would deploy ${what} of ${component} with image ${image} to environment '${environment}'`,
        );
        return;
      }

      await rollOut(ctx, {
        ...rollout,
        what: 'deployment',
        key: `paved-deploy-${component}-${environment}-${image}`,
        start: credentials =>
          deployments.deploy(
            { component, environment, image, gitRef, workload },
            credentials,
          ),
        describe: accepted =>
          `Deploying ${image} to ${environment}: workload request ${accepted.requestId} (${accepted.state})`,
      });
    },
  });
}

/** The workload of the Score file, as JSON; an InputError naming `scoreFile` when it is not a valid one. */
async function readWorkload(
  workspacePath: string,
  scoreFile: string,
): Promise<JsonObject> {
  const file = resolveSafeChildPath(workspacePath, scoreFile);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new InputError(
      `scoreFile '${scoreFile}' is not in the workspace; generate it before this step (fetch:template)`,
    );
  }
  // The API validates it again; checking here fails a dry run, and fails before
  // anything is deployed, naming the file and the JSON path of every problem.
  const parsed = parseScoreWorkload(text);
  if (!parsed.ok) {
    throw new InputError(
      `scoreFile '${scoreFile}' is not a valid Score workload: ${formatScoreProblems(
        parsed.problems,
      )}`,
    );
  }
  return parsed.workload as unknown as JsonObject;
}

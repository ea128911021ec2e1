import fs from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { refusalAsInputError } from '@paved/openapi-client-utils';
import {
  formatScoreProblems,
  parseScoreWorkload,
} from '@paved/plugin-deployments-common';
import { ProvisioningRequestDetails } from '@paved/plugin-provisioning-common';
import {
  DeploymentAccepted,
  DeploymentsClient,
} from '../provisioning/DeploymentsClient';
import { ProvisioningClient } from '../provisioning/ProvisioningClient';

const DEFAULT_TIMEOUT_MINUTES = 10;

/** How a deployment's rollout stands, from its workload request. */
export type Progress =
  | { done: false }
  | { done: true; outcome: 'succeeded' | 'pending-approval' }
  | { done: true; outcome: 'failed'; reason: string };

/**
 * `paved:deploy`: deploys the workload of the repository's `score.yaml` with an image
 * into an environment through the deployments API, as the user who runs the
 * template, and follows the rollout (the workload request's timeline) until it is
 * ready or failed. The API validates the workload and the image and refuses, naming
 * the field, what it cannot deploy.
 */
export function createDeployAction(options: {
  deployments: DeploymentsClient;
  provisioning: ProvisioningClient;
  appBaseUrl: string;
  pollIntervalMs?: number;
}) {
  const { deployments, provisioning, appBaseUrl } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
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
        timeoutMinutes: z =>
          z
            .number()
            .int()
            .min(1)
            .max(60)
            .optional()
            .describe(
              `How long to follow the rollout (default ${DEFAULT_TIMEOUT_MINUTES})`,
            ),
      },
      output: {
        requestId: z =>
          z.string().describe('The workload request in the environment'),
        requestUrl: z =>
          z.string().describe("The workload request's page in the portal"),
        status: z =>
          z
            .string()
            .describe(
              'succeeded, or pending-approval when the environment needs one',
            ),
      },
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

      const credentials = await ctx.getInitiatorCredentials();
      const accepted = (await ctx.checkpoint({
        key: `paved-deploy-${component}-${environment}-${image}`,
        fn: async () => {
          try {
            const created = await deployments.deploy(
              { component, environment, image, gitRef, workload },
              credentials,
            );
            // A fresh plain object: checkpoints store JSON.
            return JSON.parse(JSON.stringify(created)) as JsonObject;
          } catch (error) {
            throw refusalAsInputError(error);
          }
        },
      })) as unknown as DeploymentAccepted;
      const requestUrl = `${appBaseUrl}/self-service/requests/${encodeURIComponent(
        accepted.requestId,
      )}`;
      ctx.output('requestId', accepted.requestId);
      ctx.output('requestUrl', requestUrl);
      ctx.logger.info(
        `Deploying ${image} to ${environment}: workload request ${accepted.requestId} (${accepted.state})`,
      );
      ctx.logger.info(`Follow it at ${requestUrl}`);

      const timeoutMinutes =
        ctx.input.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES;
      const deadline = Date.now() + timeoutMinutes * 60_000;
      const logged = new Set<number>();
      for (;;) {
        const request = await provisioning.getRequest(
          accepted.requestId,
          credentials,
        );
        for (const event of request.timeline ?? []) {
          if (!logged.has(event.id)) {
            logged.add(event.id);
            ctx.logger.info(
              `${event.createdAt} ${event.type}: ${event.message}`,
            );
          }
        }
        const progress = progressOf(request, accepted.operationId);
        if (progress.done) {
          if (progress.outcome === 'pending-approval') {
            ctx.logger.info(
              `The deployment waits for an approval; it continues after approval: ${requestUrl}`,
            );
          }
          finishWith(ctx, progress);
          return;
        }
        if (Date.now() > deadline) {
          throw new Error(
            `The deployment is still rolling out after ${timeoutMinutes} min; it goes on without this task: ${requestUrl}`,
          );
        }
        await sleep(pollIntervalMs, undefined, { signal: ctx.signal });
      }
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

/**
 * Where the deployment's operation stands. Without an operation id (an API that
 * does not say), the request's own state decides.
 */
export function progressOf(
  request: ProvisioningRequestDetails,
  operationId: string | undefined,
): Progress {
  const operation = operationId
    ? request.operations?.find(o => o.id === operationId) ??
      (request.activeOperation?.id === operationId
        ? request.activeOperation
        : undefined)
    : undefined;
  if (operation) {
    switch (operation.status) {
      case 'succeeded':
        return { done: true, outcome: 'succeeded' };
      case 'failed':
        return {
          done: true,
          outcome: 'failed',
          reason: operation.lastError ?? request.lastError ?? 'no reason given',
        };
      case 'pending-approval':
        return { done: true, outcome: 'pending-approval' };
      default:
        return { done: false };
    }
  }
  switch (request.state) {
    case 'ready':
      return { done: true, outcome: 'succeeded' };
    case 'pending-approval':
      return { done: true, outcome: 'pending-approval' };
    case 'failed':
    case 'rejected':
    case 'deleted':
    case 'deleting':
      return {
        done: true,
        outcome: 'failed',
        reason: `the workload request is ${request.state}: ${
          request.lastError ?? request.approval?.comment ?? 'no reason given'
        }`,
      };
    default:
      return { done: false };
  }
}

export function finishWith(
  ctx: { output(name: 'status', value: string): void },
  progress: Progress & { done: true },
) {
  if (progress.outcome === 'failed') {
    throw new Error(`The deployment failed: ${progress.reason}`);
  }
  ctx.output('status', progress.outcome);
}

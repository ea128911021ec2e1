import { setTimeout as sleep } from 'node:timers/promises';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { refusalAsInputError } from '@paved/openapi-client-utils';
import {
  DeploymentAccepted,
  DeploymentsClient,
} from '../provisioning/DeploymentsClient';
import { ProvisioningClient } from '../provisioning/ProvisioningClient';
import { finishWith, progressOf } from './createDeployAction';

const DEFAULT_TIMEOUT_MINUTES = 10;

/**
 * `paved:deploy:rollback`: puts back the previous succeeded deployment of a component
 * in an environment (`POST /deployments/rollback`), as the user who runs the
 * template, and follows the rollout as `paved:deploy` does: the workload request's
 * timeline in the log, done when its operation succeeds, failed with its reasons.
 */
export function createDeployRollbackAction(options: {
  deployments: Pick<DeploymentsClient, 'rollback'>;
  provisioning: ProvisioningClient;
  appBaseUrl: string;
  pollIntervalMs?: number;
}) {
  const { deployments, provisioning, appBaseUrl } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  return createTemplateAction({
    id: 'paved:deploy:rollback',
    description:
      'Rolls a component back to its previous deployment in an environment and waits until it runs, logging its progress',
    supportsDryRun: true,
    schema: {
      input: {
        component: z => z.string().describe("The component's entity ref"),
        environment: z =>
          z.string().describe('The name of the environment to roll back in'),
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
      const { component, environment } = ctx.input;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would roll ${component} back to its previous deployment in environment '${environment}'`,
        );
        return;
      }
      const credentials = await ctx.getInitiatorCredentials();
      const accepted = (await ctx.checkpoint({
        key: `paved-deploy-rollback-${component}-${environment}`,
        fn: async () => {
          try {
            const queued = await deployments.rollback(
              { component, environment },
              credentials,
            );
            return JSON.parse(JSON.stringify(queued)) as JsonObject;
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
        `Rolling ${component} back in ${environment}: workload request ${accepted.requestId}`,
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
          finishWith(ctx, progress);
          return;
        }
        if (Date.now() > deadline) {
          throw new Error(
            `The rollback is still rolling out after ${timeoutMinutes} min; it goes on without this task: ${requestUrl}`,
          );
        }
        await sleep(pollIntervalMs, undefined, { signal: ctx.signal });
      }
    },
  });
}

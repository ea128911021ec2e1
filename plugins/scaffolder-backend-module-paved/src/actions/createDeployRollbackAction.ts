import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { DeploymentsClient } from '../provisioning/DeploymentsClient';
import {
  rollOut,
  RolloutActionOptions,
  rolloutOutputs,
  timeoutMinutesInput,
} from './rollout';

/**
 * `paved:deploy:rollback`: puts back the previous succeeded deployment of a component
 * in an environment (`POST /deployments/rollback`), as the user who runs the
 * template, and follows the rollout as `paved:deploy` does: the workload request's
 * timeline in the log, done when its operation succeeds, failed with its reasons.
 */
export function createDeployRollbackAction(
  options: RolloutActionOptions & {
    deployments: Pick<DeploymentsClient, 'rollback'>;
  },
) {
  const { deployments, ...rollout } = options;
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
        timeoutMinutes: timeoutMinutesInput,
      },
      output: rolloutOutputs,
    },
    async handler(ctx) {
      const { component, environment } = ctx.input;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would roll ${component} back to its previous deployment in environment '${environment}'`,
        );
        return;
      }
      await rollOut(ctx, {
        ...rollout,
        what: 'rollback',
        key: `paved-deploy-rollback-${component}-${environment}`,
        start: credentials =>
          deployments.rollback({ component, environment }, credentials),
        describe: accepted =>
          `Rolling ${component} back in ${environment}: workload request ${accepted.requestId}`,
      });
    },
  });
}

import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { V1ReplicaSet } from '@kubernetes/client-node';
import {
  changedFields,
  RunbookKubernetes,
} from '../kubernetes/RunbookKubernetes';
import { pollUntil, requireConfirmed } from './util';

/** The annotation `kubectl rollout restart` sets on the pod template. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

/**
 * `paved:kubernetes:rollout-restart`: what `kubectl rollout restart` does (a new
 * pod template annotation, so the Deployment rolls out new pods), then waits for
 * the new ReplicaSet's pods to be ready.
 */
export function createRolloutRestartAction(options: {
  kubernetes: RunbookKubernetes;
  pollIntervalMs?: number;
}) {
  const { kubernetes } = options;
  return createTemplateAction({
    id: 'paved:kubernetes:rollout-restart',
    description:
      'Restarts the pods of a Deployment by rolling out a new ReplicaSet (kubectl rollout restart) and waits until its pods are ready',
    supportsDryRun: true,
    examples: [
      {
        description: 'Restart the orders-api deployment',
        example: [
          'steps:',
          '  - id: restart',
          '    action: paved:kubernetes:rollout-restart',
          '    input:',
          '      namespace: team-checkout',
          '      deployment: orders-api',
          '',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        namespace: z => z.string().min(1).describe('Namespace'),
        deployment: z => z.string().min(1).describe('Deployment name'),
        confirm: z => z.boolean().optional().describe('false refuses to run'),
        timeoutSeconds: z =>
          z
            .number()
            .int()
            .min(1)
            .max(3600)
            .optional()
            .describe('How long to wait for the new pods (default 300)'),
      },
      output: {
        restartedAt: z => z.string().describe('The restart annotation'),
        replicaSet: z => z.string().describe('The new ReplicaSet'),
      },
    },
    async handler(ctx) {
      const { namespace, deployment } = ctx.input;
      requireConfirmed(ctx.input.confirm, `restart ${deployment}`);
      const patchAt = (restartedAt: string) => ({
        spec: {
          template: {
            metadata: {
              annotations: { [RESTARTED_AT_ANNOTATION]: restartedAt },
            },
          },
        },
      });
      if (ctx.isDryRun) {
        const before = await kubernetes.readDeployment(namespace, deployment);
        const after = await kubernetes.patchDeployment({
          namespace,
          name: deployment,
          patch: patchAt(new Date().toISOString()),
          dryRun: true,
        });
        ctx.logger.info(
          `Dry run: would restart deployment ${namespace}/${deployment}, changing ${changedFields(
            before,
            after,
          ).join('; ')}`,
        );
        return;
      }
      // The time is chosen once: a recovered task patches the same value again,
      // which changes nothing, instead of restarting the pods a second time.
      const restartedAt = await ctx.checkpoint({
        key: `rollout-restart-${namespace}-${deployment}`,
        fn: () => new Date().toISOString(),
      });
      const patched = await kubernetes.patchDeployment({
        namespace,
        name: deployment,
        patch: patchAt(restartedAt),
      });
      ctx.output('restartedAt', restartedAt);
      ctx.logger.info(
        `Restarting deployment ${namespace}/${deployment} (restartedAt ${restartedAt}); waiting for the new pods`,
      );
      const replicas = patched.spec?.replicas ?? 1;
      let reported = '';
      const replicaSet = await pollUntil(
        `the new pods of deployment ${namespace}/${deployment} to be ready`,
        async () => {
          const current = await kubernetes.readDeployment(
            namespace,
            deployment,
          );
          const sets = await kubernetes.replicaSetsOf(current);
          const fresh = sets.find(
            (rs: V1ReplicaSet) =>
              rs.spec?.template?.metadata?.annotations?.[
                RESTARTED_AT_ANNOTATION
              ] === restartedAt,
          );
          if (!fresh) {
            return undefined;
          }
          const ready = fresh.status?.readyReplicas ?? 0;
          const line = `${fresh.metadata?.name}: ${ready}/${replicas} pods ready`;
          if (line !== reported) {
            ctx.logger.info(line);
            reported = line;
          }
          const done =
            ready >= replicas &&
            (current.status?.updatedReplicas ?? 0) >= replicas &&
            (current.status?.observedGeneration ?? 0) >=
              (current.metadata?.generation ?? 0);
          return done ? fresh.metadata!.name! : undefined;
        },
        {
          timeoutMs: (ctx.input.timeoutSeconds ?? 300) * 1000,
          intervalMs: options.pollIntervalMs,
          signal: ctx.signal,
        },
      );
      ctx.output('replicaSet', replicaSet);
      ctx.logger.info(
        `Deployment ${namespace}/${deployment} restarted: ReplicaSet ${replicaSet} is ready`,
      );
    },
  });
}

import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  changedFields,
  RunbookKubernetes,
} from '../kubernetes/RunbookKubernetes';
import { pollUntil, requireConfirmed } from './util';

/** A Deployment's own ceiling for `paved:kubernetes:scale`. */
const MAX_REPLICAS_ANNOTATION = 'paved.dev/max-replicas';

/**
 * `paved:kubernetes:scale`: sets a Deployment's replicas within its limits (1 to
 * its `paved.dev/max-replicas` annotation, or `paved.runbooks.maxReplicas`) and
 * waits for them.
 */
export function createScaleAction(options: {
  kubernetes: RunbookKubernetes;
  maxReplicas: number;
  pollIntervalMs?: number;
}) {
  const { kubernetes } = options;
  return createTemplateAction({
    id: 'paved:kubernetes:scale',
    description:
      'Scales a Deployment to a number of replicas within its limits (1 to its paved.dev/max-replicas annotation or paved.runbooks.maxReplicas) and waits until they are ready',
    supportsDryRun: true,
    examples: [
      {
        description: 'Scale orders-api to 4 replicas',
        example: [
          'steps:',
          '  - id: scale',
          '    action: paved:kubernetes:scale',
          '    input:',
          '      namespace: team-checkout',
          '      deployment: orders-api',
          '      replicas: 4',
          '',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        namespace: z => z.string().min(1).describe('Namespace'),
        deployment: z => z.string().min(1).describe('Deployment name'),
        replicas: z => z.number().int().describe('How many pods to run'),
        confirm: z => z.boolean().optional().describe('false refuses to run'),
        timeoutSeconds: z =>
          z
            .number()
            .int()
            .min(1)
            .max(3600)
            .optional()
            .describe('How long to wait for the replicas (default 300)'),
      },
      output: {
        previousReplicas: z => z.number().describe('Replicas before'),
        replicas: z => z.number().describe('Replicas now'),
      },
    },
    async handler(ctx) {
      const { namespace, deployment, replicas } = ctx.input;
      requireConfirmed(ctx.input.confirm, `scale ${deployment}`);
      const current = await kubernetes.readDeployment(namespace, deployment);
      const annotated = Number(
        current.metadata?.annotations?.[MAX_REPLICAS_ANNOTATION],
      );
      const max =
        Number.isInteger(annotated) && annotated >= 1
          ? annotated
          : options.maxReplicas;
      if (!Number.isInteger(replicas) || replicas < 1 || replicas > max) {
        throw new InputError(
          `replicas must be between 1 and ${max} for deployment ${namespace}/${deployment}; got ${replicas}`,
        );
      }
      const patch = { spec: { replicas } };
      if (ctx.isDryRun) {
        const after = await kubernetes.patchDeployment({
          namespace,
          name: deployment,
          patch,
          dryRun: true,
        });
        const changes = changedFields(current, after);
        ctx.logger.info(
          `Dry run: would scale deployment ${namespace}/${deployment}: ${
            changes.length ? changes.join('; ') : 'nothing changes'
          }`,
        );
        return;
      }
      const previousReplicas = await ctx.checkpoint({
        key: `scale-${namespace}-${deployment}-${replicas}`,
        fn: async () => {
          const before = current.spec?.replicas ?? 1;
          await kubernetes.patchDeployment({
            namespace,
            name: deployment,
            patch,
          });
          return before;
        },
      });
      ctx.logger.info(
        `Scaling deployment ${namespace}/${deployment} from ${previousReplicas} to ${replicas} replicas`,
      );
      let reported = '';
      await pollUntil(
        `deployment ${namespace}/${deployment} to run ${replicas} ready replicas`,
        async () => {
          const now = await kubernetes.readDeployment(namespace, deployment);
          const ready = now.status?.readyReplicas ?? 0;
          const total = now.status?.replicas ?? 0;
          const line = `${ready}/${replicas} ready (${total} pods)`;
          if (line !== reported) {
            ctx.logger.info(line);
            reported = line;
          }
          return ready === replicas &&
            total === replicas &&
            (now.status?.observedGeneration ?? 0) >=
              (now.metadata?.generation ?? 0)
            ? true
            : undefined;
        },
        {
          timeoutMs: (ctx.input.timeoutSeconds ?? 300) * 1000,
          intervalMs: options.pollIntervalMs,
          signal: ctx.signal,
        },
      );
      ctx.output('previousReplicas', previousReplicas);
      ctx.output('replicas', replicas);
    },
  });
}

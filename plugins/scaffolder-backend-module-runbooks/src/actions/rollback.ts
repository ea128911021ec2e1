import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { V1PodTemplateSpec } from '@kubernetes/client-node';
import {
  changedFields,
  revisionOf,
  RunbookKubernetes,
} from '../kubernetes/RunbookKubernetes';
import { pollUntil, requireConfirmed } from './util';

const POD_TEMPLATE_HASH = 'pod-template-hash';

/**
 * `paved:kubernetes:rollback`: what `kubectl rollout undo` does: the pod template
 * of an earlier revision's ReplicaSet (without its `pod-template-hash` label)
 * becomes the Deployment's again; then waits for the rollout.
 */
export function createRollbackAction(options: {
  kubernetes: RunbookKubernetes;
  pollIntervalMs?: number;
}) {
  const { kubernetes } = options;
  return createTemplateAction({
    id: 'paved:kubernetes:rollback',
    description:
      'Rolls a Deployment back to its previous revision, or to toRevision (kubectl rollout undo), and waits for the rollout',
    supportsDryRun: true,
    examples: [
      {
        description: 'Roll orders-api back to what ran before',
        example: [
          'steps:',
          '  - id: rollback',
          '    action: paved:kubernetes:rollback',
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
        toRevision: z =>
          z
            .preprocess(
              // An empty form field renders as '' or null.
              value => (value === '' || value === null ? undefined : value),
              z.number().int().min(1).optional(),
            )
            .describe('The revision to return to (default: the previous one)'),
        confirm: z => z.boolean().optional().describe('false refuses to run'),
        timeoutSeconds: z =>
          z
            .number()
            .int()
            .min(1)
            .max(3600)
            .optional()
            .describe('How long to wait for the rollout (default 300)'),
      },
      output: {
        fromRevision: z => z.number().describe('The revision rolled back from'),
        toRevision: z =>
          z.number().describe('The revision whose pod template runs now'),
      },
    },
    async handler(ctx) {
      const { namespace, deployment } = ctx.input;
      requireConfirmed(ctx.input.confirm, `roll back ${deployment}`);
      // The target is chosen once: after the rollback the "previous" revision is
      // the one we left, so a recovered task must not choose again.
      const choice = await ctx.checkpoint({
        key: `rollback-${namespace}-${deployment}`,
        fn: async () => {
          const current = await kubernetes.readDeployment(
            namespace,
            deployment,
          );
          const currentRevision = revisionOf(current);
          const sets = await kubernetes.replicaSetsOf(current);
          const wanted = ctx.input.toRevision as number | undefined;
          const target = wanted
            ? sets.find(rs => revisionOf(rs) === wanted)
            : sets.filter(rs => revisionOf(rs) < currentRevision).pop();
          if (!target) {
            throw new InputError(
              wanted
                ? `toRevision ${wanted} is not a revision of deployment ${namespace}/${deployment}; it has ${sets
                    .map(revisionOf)
                    .join(', ')}`
                : `deployment ${namespace}/${deployment} has no revision before ${currentRevision} to roll back to`,
            );
          }
          const template = JSON.parse(
            JSON.stringify(target.spec!.template),
          ) as V1PodTemplateSpec;
          delete template.metadata?.labels?.[POD_TEMPLATE_HASH];
          return {
            fromRevision: currentRevision,
            toRevision: revisionOf(target),
            template: template as JsonObject,
          };
        },
      });
      const patch = [
        {
          op: 'replace' as const,
          path: '/spec/template',
          value: choice.template,
        },
      ];
      if (ctx.isDryRun) {
        const before = await kubernetes.readDeployment(namespace, deployment);
        const after = await kubernetes.patchDeployment({
          namespace,
          name: deployment,
          patch,
          dryRun: true,
        });
        const changes = changedFields(before, after);
        ctx.logger.info(
          `Dry run: would roll deployment ${namespace}/${deployment} back from revision ${
            choice.fromRevision
          } to ${choice.toRevision}: ${
            changes.length ? changes.join('; ') : 'nothing changes'
          }`,
        );
        return;
      }
      const patched = await kubernetes.patchDeployment({
        namespace,
        name: deployment,
        patch,
      });
      ctx.logger.info(
        `Rolling deployment ${namespace}/${deployment} back from revision ${choice.fromRevision} to the pod template of revision ${choice.toRevision}`,
      );
      const replicas = patched.spec?.replicas ?? 1;
      let reported = '';
      await pollUntil(
        `deployment ${namespace}/${deployment} to finish rolling back`,
        async () => {
          const now = await kubernetes.readDeployment(namespace, deployment);
          const status = now.status ?? {};
          const line = `${status.updatedReplicas ?? 0}/${replicas} updated, ${
            status.readyReplicas ?? 0
          } ready`;
          if (line !== reported) {
            ctx.logger.info(line);
            reported = line;
          }
          return (status.observedGeneration ?? 0) >=
            (now.metadata?.generation ?? 0) &&
            (status.updatedReplicas ?? 0) >= replicas &&
            (status.readyReplicas ?? 0) >= replicas &&
            (status.replicas ?? 0) === replicas
            ? true
            : undefined;
        },
        {
          timeoutMs: (ctx.input.timeoutSeconds ?? 300) * 1000,
          intervalMs: options.pollIntervalMs,
          signal: ctx.signal,
        },
      );
      ctx.output('fromRevision', choice.fromRevision);
      ctx.output('toRevision', choice.toRevision);
    },
  });
}

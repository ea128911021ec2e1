import { AuthService, UserInfoService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { teamNamespace } from '@paved/plugin-provisioning-common';
import { concurrentRuns, startedBefore } from '@paved/plugin-runbooks-common';
import { ScaffolderTasks } from '../clients/ScaffolderTasks';

const NAMESPACE_ANNOTATION = 'backstage.io/kubernetes-namespace';
const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';

/**
 * `paved:runbook:authorize`, the first step of every runbook: the entity exists,
 * the user who runs the runbook belongs to its owner (or to an admin group), and no
 * earlier run of the same runbook on the same entity (and target) is still going.
 * Outputs where the entity runs in Kubernetes.
 */
export function createAuthorizeAction(options: {
  catalog: CatalogService;
  auth: AuthService;
  userInfo: UserInfoService;
  tasks: ScaffolderTasks;
  adminGroups: ReadonlySet<string>;
}) {
  const { catalog, auth, userInfo, tasks, adminGroups } = options;
  return createTemplateAction({
    id: 'paved:runbook:authorize',
    description:
      "Checks that the user may run this runbook on the entity (its owner or a platform admin) and that it is not already running on it; outputs the entity's Kubernetes namespace and id",
    supportsDryRun: true,
    examples: [
      {
        description: 'The first step of a runbook',
        example: [
          'steps:',
          '  - id: authorize',
          '    action: paved:runbook:authorize',
          '    input:',
          '      entityRef: ${{ parameters.entityRef }}',
          '      target: ${{ parameters.deployment }}',
          '',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        entityRef: z =>
          z.string().min(1).describe('The entity the runbook acts on'),
        target: z =>
          z
            .string()
            .optional()
            .describe(
              'What in the entity it acts on (e.g. a deployment); runs on other targets may go on at once',
            ),
      },
      output: {
        entityRef: z => z.string().describe('The entity, as a full ref'),
        owner: z => z.string().describe("The entity's owner"),
        namespace: z =>
          z.string().describe("The entity's Kubernetes namespace"),
        kubernetesId: z =>
          z.string().describe("The entity's Kubernetes id (workload label)"),
      },
    },
    async handler(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      let ref: string;
      try {
        ref = stringifyEntityRef(
          parseEntityRef(ctx.input.entityRef, {
            defaultKind: 'component',
            defaultNamespace: 'default',
          }),
        );
      } catch (error) {
        throw new InputError(
          `entityRef '${ctx.input.entityRef}' is not an entity reference`,
        );
      }
      const entity = await catalog.getEntityByRef(ref, { credentials });
      if (!entity) {
        throw new InputError(`Unable to find entity '${ref}' in the catalog`);
      }
      const owner = ownerOf(entity);

      if (!auth.isPrincipal(credentials, 'user')) {
        throw new NotAllowedError(
          `Runbooks run on behalf of a user; this task has no user`,
        );
      }
      const { userEntityRef, ownershipEntityRefs } = await userInfo.getUserInfo(
        credentials,
      );
      const mayRun =
        (owner !== undefined && ownershipEntityRefs.includes(owner)) ||
        ownershipEntityRefs.some(claim => adminGroups.has(claim));
      if (!mayRun) {
        throw new NotAllowedError(
          `${userEntityRef} may not run runbooks on ${ref}: it is owned by ${
            owner ?? 'nobody'
          }, and runbooks run only for its owners and the platform admins`,
        );
      }
      const templateRef = ctx.templateInfo?.entityRef;
      if (templateRef && !ctx.isDryRun) {
        const running = await tasks.list(['open', 'processing']);
        const self = running.find(task => task.id === ctx.task.id) ?? {
          id: ctx.task.id,
          createdAt: new Date().toISOString(),
        };
        const others = concurrentRuns(running, {
          templateRef,
          entityRef: ctx.input.entityRef,
          // An empty form field renders as '': no target.
          target: ctx.input.target || undefined,
          selfId: ctx.task.id,
        });
        for (const other of others) {
          // An earlier run holds the entity; so does a later one (in the same
          // second) that is already past this step.
          if (
            startedBefore(other, self) ||
            (await tasks.hasCompletedStep(
              other.id,
              ctx.step?.id ?? 'authorize',
            ))
          ) {
            throw new InputError(
              `runbook ${
                parseEntityRef(templateRef).name
              } is already running on ${ref} (task ${other.id})`,
            );
          }
        }
      }

      const annotations = entity.metadata.annotations ?? {};
      const namespace =
        annotations[NAMESPACE_ANNOTATION] ??
        (owner ? teamNamespace(owner) : 'default');
      const kubernetesId =
        annotations[KUBERNETES_ID_ANNOTATION] ?? entity.metadata.name;
      ctx.logger.info(
        `${userEntityRef} may run this runbook on ${ref} (owner ${owner}); it runs in namespace ${namespace} as ${kubernetesId}`,
      );
      ctx.output('entityRef', ref);
      ctx.output('owner', owner ?? '');
      ctx.output('namespace', namespace);
      ctx.output('kubernetesId', kubernetesId);
    },
  });
}

function ownerOf(entity: Entity): string | undefined {
  const owned = entity.relations?.find(r => r.type === 'ownedBy')?.targetRef;
  if (owned) {
    return owned;
  }
  const owner = entity.spec?.owner;
  return typeof owner === 'string'
    ? stringifyEntityRef(
        parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: entity.metadata.namespace ?? 'default',
        }),
      )
    : undefined;
}

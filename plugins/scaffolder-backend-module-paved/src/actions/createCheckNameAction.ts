import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { PublishTarget } from '../publish/PublishTarget';

/**
 * `paved:check-name`: the first step of every golden path. Refuses a name that is
 * already taken in the catalog or in the publish target, with a message saying what
 * to change, before any step writes anything. (The form's pattern already refused
 * names the catalog and Kubernetes cannot take.) In a dry run a taken name is only
 * logged as a warning.
 */
export function createCheckNameAction(options: {
  catalog: CatalogService;
  target: PublishTarget;
}) {
  const { catalog, target } = options;
  return createTemplateAction({
    id: 'paved:check-name',
    description:
      'Fails when the name is already used by a catalog entity or a repository in the publish target',
    supportsDryRun: true,
    examples: [
      {
        description: 'Check a new component name',
        example:
          'steps:\n  - id: check-name\n    action: paved:check-name\n    input:\n      name: orders-api\n',
      },
    ],
    schema: {
      input: {
        name: z => z.string().describe('The new entity and repository name'),
        kind: z =>
          z
            .string()
            .optional()
            .describe('Kind of the entity to be created (default Component)'),
        namespace: z =>
          z
            .string()
            .optional()
            .describe('Catalog namespace (default "default")'),
      },
    },
    async handler(ctx) {
      const { name, kind = 'Component', namespace = 'default' } = ctx.input;
      const entityRef = stringifyEntityRef({ kind, namespace, name });
      // A dry run creates nothing, so a taken name cannot collide: template
      // upgrades render existing services (whose names are taken by definition)
      // through dry runs. It is still worth saying in the log.
      const refuse = (message: string) => {
        if (ctx.isDryRun) {
          ctx.logger.warn(`${message} (dry run: nothing is created)`);
          return;
        }
        throw new InputError(message);
      };
      const existing = await catalog.getEntityByRef(entityRef, {
        credentials: await ctx.getInitiatorCredentials(),
      });
      if (existing) {
        const owner = (existing.spec as { owner?: string } | undefined)?.owner;
        refuse(
          `name '${name}' is taken: the catalog already has ${entityRef}${
            owner ? ` (owned by ${owner})` : ''
          }; go back and choose another name`,
        );
        return;
      }
      if (await target.exists(name)) {
        refuse(
          `name '${name}' is taken: a repository named '${name}' already exists in ${target.title}; go back and choose another name`,
        );
        return;
      }
      ctx.logger.info(
        `'${name}' is free in the catalog and in ${target.title}`,
      );
    },
  });
}

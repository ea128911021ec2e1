import fs from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BackstageCredentials,
  LoggerService,
  resolveSafeChildPath,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, isError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { LocalRepositories } from '@paved/plugin-local-repositories-node';
import { localCreator } from '../publish/LocalPublishTarget';
import { parseAllDocuments } from 'yaml';

/** How long to wait for the catalog to show the new entity before failing the step. */
const DEFAULT_WAIT_SECONDS = 120;

/**
 * `paved:catalog:register`: puts the new repository's entities in the catalog and
 * waits until the main one is there, so the task's "Open in catalog" link works
 * when the task says it is done.
 *
 * - URLs of the portal's local repositories are registered by giving the repository
 *   a checkout, which the catalog's local-repositories module picks up (the catalog
 *   API only registers `url` locations, on purpose).
 * - Any other URL is registered as a `url` location, as `catalog:register` does.
 *
 * The entities are validated by the catalog first, so an invalid catalog-info never
 * leaves a half-registered location behind. When registration fails, a local
 * repository that this task published is taken back, so the template can run again
 * with the same name. (A GitHub or GitLab repository stays: deleting needs admin
 * rights the portal should not have; check-name then asks for another name.)
 */
export function createRegisterAction(options: {
  catalog: CatalogService;
  repositories: LocalRepositories;
  waitSeconds?: number;
}) {
  const { catalog, repositories } = options;
  const waitSeconds = options.waitSeconds ?? DEFAULT_WAIT_SECONDS;
  return createTemplateAction({
    id: 'paved:catalog:register',
    description:
      "Registers a published repository's catalog-info in the catalog and waits for its entity",
    supportsDryRun: true,
    examples: [
      {
        description: 'Register what paved:publish created',
        example:
          'steps:\n  - id: register\n    action: paved:catalog:register\n    input:\n      catalogInfoUrl: ${{ steps.publish.output.catalogInfoUrl }}\n',
      },
    ],
    schema: {
      input: {
        catalogInfoUrl: z =>
          z.string().describe('URL of the published catalog-info.yaml'),
        catalogInfoPath: z =>
          z
            .string()
            .optional()
            .describe(
              'The same file in the workspace, to know which entity to wait for (default catalog-info.yaml)',
            ),
      },
      output: {
        entityRef: z => z.string().describe('The main registered entity'),
        catalogInfoUrl: z => z.string().describe('The registered URL'),
      },
    },
    async handler(ctx) {
      const { catalogInfoUrl } = ctx.input;
      const entities = await readWorkspaceEntities(
        ctx.workspacePath,
        ctx.input.catalogInfoPath ?? 'catalog-info.yaml',
      );
      const entityRef = stringifyEntityRef(mainEntity(entities));
      const credentials = await ctx.getInitiatorCredentials();
      const localName = repositories.nameOfCheckoutUrl(catalogInfoUrl);
      if (catalogInfoUrl.startsWith('file:') && !localName) {
        throw new InputError(
          `catalogInfoUrl '${catalogInfoUrl}' is a file outside the portal's local repositories (${repositories.directory})`,
        );
      }
      ctx.output('entityRef', entityRef);
      ctx.output('catalogInfoUrl', catalogInfoUrl);
      try {
        await validate(catalog, entities, catalogInfoUrl, credentials);
        if (ctx.isDryRun) {
          ctx.logger.info(
            `Dry run: would register ${entityRef} from ${catalogInfoUrl}`,
          );
          return;
        }
        if (localName) {
          await ctx.checkpoint({
            key: `paved-register-local-${localName}`,
            fn: async () => {
              await repositories.checkout(localName);
            },
          });
        } else {
          await ctx.checkpoint({
            key: `paved-register-url-${catalogInfoUrl}`,
            fn: () => addUrlLocation(catalog, catalogInfoUrl, credentials),
          });
        }
        ctx.logger.info(
          `Registered ${catalogInfoUrl}; waiting for ${entityRef} in the catalog`,
        );
        await waitForEntity(ctx, catalog, entityRef, credentials, waitSeconds);
      } catch (error) {
        if (localName && !ctx.isDryRun) {
          // Take back the repository this task published, so that running the
          // template again with the same name works.
          if (
            await repositories.discard(localName, localCreator(ctx.task.id))
          ) {
            ctx.logger.info(
              `Removed the repository ${localName} that this task had published`,
            );
          }
        }
        throw error;
      }
    },
  });
}

async function validate(
  catalog: CatalogService,
  entities: Entity[],
  catalogInfoUrl: string,
  credentials: BackstageCredentials,
) {
  for (const entity of entities) {
    const result = await catalog.validateEntity(
      entity,
      `url:${catalogInfoUrl}`,
      { credentials },
    );
    if (!result.valid) {
      throw new InputError(
        `${stringifyEntityRef(
          entity,
        )} in catalog-info.yaml is not a valid entity: ${result.errors
          .map(e => e.message)
          .join('; ')}`,
      );
    }
  }
}

async function addUrlLocation(
  catalog: CatalogService,
  catalogInfoUrl: string,
  credentials: BackstageCredentials,
) {
  try {
    await catalog.addLocation(
      { type: 'url', target: catalogInfoUrl },
      { credentials },
    );
  } catch (error) {
    // Registered before (a retried task): that is the wanted state.
    if (!(isError(error) && error.name === ConflictError.name)) {
      throw error;
    }
  }
}

async function waitForEntity(
  ctx: { logger: LoggerService; signal?: AbortSignal },
  catalog: CatalogService,
  entityRef: string,
  credentials: BackstageCredentials,
  waitSeconds: number,
) {
  const started = Date.now();
  let lastReport = started;
  for (;;) {
    if (await catalog.getEntityByRef(entityRef, { credentials })) {
      ctx.logger.info(
        `${entityRef} is in the catalog after ${(
          (Date.now() - started) /
          1000
        ).toFixed(1)} s`,
      );
      return;
    }
    if (Date.now() - started > waitSeconds * 1000) {
      throw new Error(
        `${entityRef} did not appear in the catalog within ${waitSeconds} s; ` +
          `the catalog's processing errors for the registered location say why`,
      );
    }
    if (Date.now() - lastReport >= 10_000) {
      lastReport = Date.now();
      ctx.logger.info(
        `Still waiting for the catalog to process ${entityRef} (${Math.round(
          (lastReport - started) / 1000,
        )} s)`,
      );
    }
    await sleep(500, undefined, { signal: ctx.signal });
  }
}

async function readWorkspaceEntities(
  workspacePath: string,
  catalogInfoPath: string,
): Promise<Entity[]> {
  const file = resolveSafeChildPath(workspacePath, catalogInfoPath);
  const text = await fs.readFile(file, 'utf8').catch(() => {
    throw new InputError(
      `catalogInfoPath '${catalogInfoPath}' does not exist in the workspace`,
    );
  });
  const entities = parseAllDocuments(text)
    .map(document => document.toJSON())
    .filter(Boolean) as Entity[];
  if (entities.length === 0) {
    throw new InputError(
      `catalogInfoPath '${catalogInfoPath}' has no entities`,
    );
  }
  return entities;
}

/** The entity to link to: the Component if there is one, as catalog:register does. */
function mainEntity(entities: Entity[]): Entity {
  return entities.find(e => e.kind === 'Component') ?? entities[0];
}

import fs from 'node:fs/promises';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { addLineage, TEMPLATE_VERSION_ANNOTATION } from '../lineage';

/**
 * `paved:catalog:lineage`: records in the new entity's catalog-info which template,
 * and which version of it, created the entity, so that the scorecard can tell
 * whether a service is on the latest golden path. The version is read from the
 * running template's own `paved.dev/template-version` annotation, so template
 * authors cannot forget it in the skeleton.
 *
 * It only rewrites a file in the task's workspace: no side effect outside it, so it
 * needs no checkpoint and supports dry runs.
 */
export function createLineageAction() {
  return createTemplateAction({
    id: 'paved:catalog:lineage',
    description:
      'Annotates the catalog-info file in the workspace with the template and template version that created it',
    supportsDryRun: true,
    examples: [
      {
        description:
          'Record lineage in ./catalog-info.yaml after fetch:template',
        example: 'steps:\n  - id: lineage\n    action: paved:catalog:lineage\n',
      },
    ],
    schema: {
      input: {
        catalogInfoPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Path of the catalog-info file, relative to the workspace (default catalog-info.yaml)',
            ),
      },
      output: {
        templateRef: z =>
          z.string().describe('The template that created the entity'),
        templateVersion: z =>
          z.string().describe('The version of that template'),
      },
    },
    async handler(ctx) {
      const template = ctx.templateInfo;
      if (!template?.entityRef) {
        throw new InputError(
          'paved:catalog:lineage runs only inside a template: the task has no template',
        );
      }
      const templateVersion =
        template.entity?.metadata.annotations?.[TEMPLATE_VERSION_ANNOTATION];
      if (!templateVersion) {
        throw new InputError(
          `Template '${template.entityRef}' has no '${TEMPLATE_VERSION_ANNOTATION}' annotation; ` +
            'add one (e.g. "1.0.0") so that new entities record which version created them',
        );
      }
      const catalogInfoPath = ctx.input.catalogInfoPath ?? 'catalog-info.yaml';
      const path = resolveSafeChildPath(ctx.workspacePath, catalogInfoPath);
      const original = await fs.readFile(path, 'utf8').catch(() => {
        throw new InputError(
          `catalogInfoPath '${catalogInfoPath}' does not exist in the workspace; run fetch:template first`,
        );
      });
      let annotated: string;
      try {
        annotated = addLineage(original, {
          templateRef: template.entityRef,
          templateVersion,
        });
      } catch (error) {
        throw new InputError(
          `catalogInfoPath '${catalogInfoPath}': ${(error as Error).message}`,
        );
      }
      await fs.writeFile(path, annotated);
      ctx.logger.info(
        `Recorded lineage ${template.entityRef}@${templateVersion} in ${catalogInfoPath}`,
      );
      ctx.output('templateRef', template.entityRef);
      ctx.output('templateVersion', templateVersion);
    },
  });
}

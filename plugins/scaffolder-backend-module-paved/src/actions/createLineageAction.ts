import fs from 'node:fs/promises';
import { dirname } from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import {
  GOLDEN_PATH_FILE,
  stringifyGoldenPathFile,
  TEMPLATE_VERSION_ANNOTATION,
} from '@paved/plugin-upgrades-common';
import {
  answersToKeep,
  RunningTemplate,
  templateRefOf,
} from '../goldenPathAnswers';
import { addLineage } from '../lineage';

/**
 * `paved:catalog:lineage`: records in the new entity's catalog-info which template,
 * and which version of it, created the entity, so that the scorecard can tell
 * whether a service is on the latest golden path. The version is read from the
 * running template's own `paved.dev/template-version` annotation, so template
 * authors cannot forget it in the skeleton.
 *
 * Given the template's parameters (`values: ${{ parameters }}`), it also writes the
 * golden-path file (.paved/golden-path.yaml): template, version and answers, from
 * which template upgrades render the template again.
 *
 * It only writes files in the task's workspace: no side effect outside it, so it
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
      {
        description:
          'Also keep the answers in .paved/golden-path.yaml for template upgrades',
        example:
          'steps:\n  - id: lineage\n    action: paved:catalog:lineage\n    input:\n      values: ${{ parameters }}\n',
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
        values: z =>
          z
            .record(z.string(), z.any())
            .optional()
            .describe(
              `The template's parameters (\${{ parameters }}); when given, they are kept in the golden-path file (${GOLDEN_PATH_FILE}), without secret fields`,
            ),
        goldenPathPath: z =>
          z
            .string()
            .optional()
            .describe(
              `Path of the golden-path file, relative to the workspace (default ${GOLDEN_PATH_FILE})`,
            ),
      },
      output: {
        goldenPathPath: z =>
          z
            .string()
            .optional()
            .describe('The golden-path file written, when values were given'),
        templateRef: z =>
          z.string().describe('The template that created the entity'),
        templateVersion: z =>
          z.string().describe('The version of that template'),
      },
    },
    async handler(ctx) {
      const template = ctx.templateInfo as RunningTemplate | undefined;
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
      const templateRef = templateRefOf(template);
      const catalogInfoPath = ctx.input.catalogInfoPath ?? 'catalog-info.yaml';
      const path = resolveSafeChildPath(ctx.workspacePath, catalogInfoPath);
      const original = await fs.readFile(path, 'utf8').catch(() => {
        throw new InputError(
          `catalogInfoPath '${catalogInfoPath}' does not exist in the workspace; run fetch:template first`,
        );
      });
      let annotated: string;
      try {
        annotated = addLineage(original, { templateRef, templateVersion });
      } catch (error) {
        throw new InputError(
          `catalogInfoPath '${catalogInfoPath}': ${(error as Error).message}`,
        );
      }
      // Resolve the golden-path file's path before writing anything, so that a bad
      // path leaves the workspace as it was.
      let goldenPath: { relative: string; absolute: string } | undefined;
      if (ctx.input.values) {
        const relative = ctx.input.goldenPathPath ?? GOLDEN_PATH_FILE;
        goldenPath = {
          relative,
          absolute: resolveSafeChildPath(ctx.workspacePath, relative),
        };
      }
      await fs.writeFile(path, annotated);
      ctx.logger.info(
        `Recorded lineage ${templateRef}@${templateVersion} in ${catalogInfoPath}`,
      );
      if (goldenPath && ctx.input.values) {
        const values = answersToKeep(
          ctx.input.values as JsonObject,
          template.entity?.spec?.parameters,
        );
        await fs.mkdir(dirname(goldenPath.absolute), { recursive: true });
        await fs.writeFile(
          goldenPath.absolute,
          stringifyGoldenPathFile({
            template: templateRef,
            version: templateVersion,
            values,
          }),
        );
        // Names only: the values are the form's answers and stay out of logs.
        ctx.logger.info(
          `Kept the answers (${Object.keys(values).join(', ') || 'none'}) in ${
            goldenPath.relative
          }`,
        );
        ctx.output('goldenPathPath', goldenPath.relative);
      }
      ctx.output('templateRef', templateRef);
      ctx.output('templateVersion', templateVersion);
    },
  });
}

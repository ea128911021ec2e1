import { JsonObject } from '@backstage/types';
import { parse, stringify } from 'yaml';
import { GoldenPathAnswers } from './types';

/**
 * Where a service keeps its {@link GoldenPathAnswers}, relative to its repository's
 * root. Written by the golden path's `paved:catalog:lineage` step, moved to the new
 * version by every merged upgrade.
 *
 * @public
 */
export const GOLDEN_PATH_FILE = '.paved/golden-path.yaml';

const HEADER = [
  '# Written by Paved when this repository was created from a golden path.',
  '# Template upgrades render the template again with these answers and merge the',
  '# difference into this repository (docs/golden-paths.md). Keep this file; it',
  '# never holds secrets.',
].join('\n');

/** The file's text: a comment saying what it is for, then YAML. @public */
export function stringifyGoldenPathFile(answers: GoldenPathAnswers): string {
  const body = stringify(
    {
      template: answers.template,
      version: answers.version,
      values: answers.values,
    },
    { lineWidth: 0 },
  );
  return `${HEADER}\n${body}`;
}

/**
 * Reads the file's text; throws an Error saying what is wrong (the caller names the
 * repository) when it is not YAML or misses a field.
 *
 * @public
 */
export function parseGoldenPathFile(text: string): GoldenPathAnswers {
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new Error(
      `${GOLDEN_PATH_FILE} is not valid YAML: ${(error as Error).message}`,
    );
  }
  if (!isObject(value)) {
    throw new Error(`${GOLDEN_PATH_FILE} must be a YAML mapping`);
  }
  const { template, version, values } = value;
  if (typeof template !== 'string' || template.length === 0) {
    throw new Error(`${GOLDEN_PATH_FILE}: template must be a template ref`);
  }
  if (typeof version !== 'string' || version.length === 0) {
    throw new Error(`${GOLDEN_PATH_FILE}: version must be a string`);
  }
  if (values !== undefined && !isObject(values)) {
    throw new Error(`${GOLDEN_PATH_FILE}: values must be a mapping`);
  }
  return { template, version, values: (values ?? {}) as JsonObject };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

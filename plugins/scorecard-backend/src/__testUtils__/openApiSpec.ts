import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

/** The plugin's OpenAPI document. */
export const openApiSpec = parse(
  readFileSync(resolve(__dirname, '../schema/openapi.yaml'), 'utf8'),
);

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(openApiSpec, 'openapi');

/** Errors of `value` against `#/components/schemas/<name>`; empty when it conforms. */
export function specErrors(name: string, value: unknown): string[] {
  const validate = ajv.getSchema(`openapi#/components/schemas/${name}`);
  if (!validate) {
    throw new Error(`The OpenAPI document has no schema '${name}'`);
  }
  return validate(value)
    ? []
    : (validate.errors ?? []).map(e => `${e.instancePath} ${e.message}`);
}

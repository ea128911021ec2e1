import { loadOpenApiSpec } from '@paved/test-utils';
import { resolve } from 'node:path';

/** The plugin's OpenAPI document, and errors of a value against one of its schemas. */
export const { openApiSpec, specErrors } = loadOpenApiSpec(
  resolve(__dirname, '../schema/openapi.yaml'),
);

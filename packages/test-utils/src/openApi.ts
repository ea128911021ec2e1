import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** A plugin's OpenAPI document, and a validator for its component schemas. */
export interface LoadedOpenApiSpec {
  /** The parsed document. */
  openApiSpec: any;
  /** Errors of `value` against `#/components/schemas/<name>`; empty when it conforms. */
  specErrors(name: string, value: unknown): string[];
}

/** Loads the OpenAPI document (YAML) at `path`. */
export function loadOpenApiSpec(path: string): LoadedOpenApiSpec {
  const openApiSpec = parse(readFileSync(path, 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(openApiSpec, 'openapi');
  return {
    openApiSpec,
    specErrors(name: string, value: unknown): string[] {
      const validate = ajv.getSchema(`openapi#/components/schemas/${name}`);
      if (!validate) {
        throw new Error(`The OpenAPI document has no schema '${name}'`);
      }
      return validate(value)
        ? []
        : (validate.errors ?? []).map(e => `${e.instancePath} ${e.message}`);
    },
  };
}

/**
 * The routes an express router serves, as sorted `METHOD /path/{param}` strings,
 * comparable with {@link documentedRoutes}.
 */
export function servedRoutes(router: object): string[] {
  return ((router as { stack: any[] }).stack ?? [])
    .filter(layer => layer.route)
    .flatMap(layer =>
      Object.keys(layer.route.methods).map(
        method =>
          `${method.toUpperCase()} ${layer.route.path.replace(
            /:(\w+)/g,
            '{$1}',
          )}`,
      ),
    )
    .sort();
}

/** The routes an OpenAPI document describes, as sorted `METHOD /path` strings. */
export function documentedRoutes(spec: { paths?: unknown }): string[] {
  return Object.entries((spec.paths ?? {}) as Record<string, object>)
    .flatMap(([path, item]) =>
      Object.keys(item)
        .filter(key => HTTP_METHODS.includes(key))
        .map(method => `${method.toUpperCase()} ${path}`),
    )
    .sort();
}

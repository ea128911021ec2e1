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

/**
 * The error statuses an operation of a Paved backend can answer but its OpenAPI
 * document leaves out, as `METHOD /path: status` strings (empty when none is
 * missing): 401 on every operation that needs a signed-in caller (Backstage's
 * httpRouter refuses the others), 400 and 413 on every operation that takes a JSON
 * body (the body parser refuses malformed and oversized bodies before any handler
 * runs). A `default` response is refused too: it documents every status at once,
 * so a fuzzer checking the statuses could never find one missing.
 */
export function undocumentedErrorStatuses(spec: {
  paths?: unknown;
  security?: unknown[];
}): string[] {
  const secured = (spec.security ?? []).length > 0;
  return Object.entries((spec.paths ?? {}) as Record<string, any>).flatMap(
    ([path, item]) =>
      Object.keys(item)
        .filter(key => HTTP_METHODS.includes(key))
        .flatMap(method => {
          const operation = item[method];
          const documented = Object.keys(operation.responses ?? {});
          const needsAuth = operation.security
            ? operation.security.length > 0
            : secured;
          const wanted = [
            ...(needsAuth ? ['401'] : []),
            ...(operation.requestBody ? ['400', '413'] : []),
          ];
          return [
            ...wanted.filter(status => !documented.includes(status)),
            ...documented.filter(status => status === 'default'),
          ].map(status => `${method.toUpperCase()} ${path}: ${status}`);
        }),
  );
}

import { JsonObject } from '@backstage/types';
import { isJsonObject } from './isJsonObject';

/*
 * A CRD's schema is a structural OpenAPI v3.0 schema; the engine validates
 * parameters with JSON Schema draft-07 (Ajv) and the form is rendered from it
 * (react-jsonschema-form). The two agree on most keywords. Where they differ:
 *
 * - `exclusiveMinimum`/`exclusiveMaximum` are booleans beside `minimum`/`maximum` in
 *   OpenAPI 3.0 and numbers in draft-07;
 * - `x-kubernetes-*` extensions (CEL rules, list types, preserve-unknown-fields) mean
 *   nothing to JSON Schema and are dropped: the API server still enforces them when
 *   the composite resource is applied, and its refusal fails the request with its
 *   message;
 * - `x-kubernetes-int-or-string` becomes `anyOf: [integer, string]`;
 * - the API server prunes fields an object does not declare: here they are refused
 *   instead (`additionalProperties: false`), so that nothing a requester typed is
 *   silently dropped;
 * - `nullable`, `example`, `externalDocs` and formats whose meaning differs (e.g.
 *   Kubernetes' `duration` is Go's, JSON Schema's is ISO 8601) are left out.
 */

/** Keywords whose meaning is the same in both, kept as they are. */
const SAME_KEYWORDS = [
  'type',
  'title',
  'description',
  'default',
  'enum',
  'minimum',
  'maximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'required',
];

/** Formats that Kubernetes and Ajv (ajv-formats) check alike. */
const SHARED_FORMATS = new Set([
  'date',
  'date-time',
  'byte',
  'int32',
  'int64',
  'float',
  'double',
  'password',
  'uuid',
  'hostname',
  'ipv4',
  'ipv6',
  'uri',
  'email',
]);

/**
 * The JSON Schema (draft-07) of a structural OpenAPI v3 schema as a
 * CustomResourceDefinition (or a Crossplane XRD) declares it.
 *
 * @public
 */
export function openApiToJsonSchema(schema: JsonObject): JsonObject {
  const converted: JsonObject = {};
  for (const keyword of SAME_KEYWORDS) {
    if (schema[keyword] !== undefined) {
      converted[keyword] = schema[keyword];
    }
  }
  if (typeof schema.format === 'string' && SHARED_FORMATS.has(schema.format)) {
    converted.format = schema.format;
  }
  for (const [bool, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (schema[bool] === true && typeof schema[bound] === 'number') {
      converted[bool] = schema[bound];
      delete converted[bound];
    }
  }
  if (isJsonObject(schema.properties)) {
    converted.properties = Object.fromEntries(
      Object.entries(schema.properties)
        .filter((entry): entry is [string, JsonObject] =>
          isJsonObject(entry[1]),
        )
        .map(([name, property]) => [name, openApiToJsonSchema(property)]),
    );
  }
  if (isJsonObject(schema.items)) {
    converted.items = openApiToJsonSchema(schema.items);
  } else if (Array.isArray(schema.items)) {
    converted.items = schema.items
      .filter(isJsonObject)
      .map(openApiToJsonSchema);
  }
  if (isJsonObject(schema.additionalProperties)) {
    converted.additionalProperties = openApiToJsonSchema(
      schema.additionalProperties,
    );
  } else if (typeof schema.additionalProperties === 'boolean') {
    converted.additionalProperties = schema.additionalProperties;
  } else if (
    converted.properties &&
    schema['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    // The API server would prune what the object does not declare.
    converted.additionalProperties = false;
  }
  for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
    const list = schema[keyword];
    if (Array.isArray(list)) {
      converted[keyword] = list.filter(isJsonObject).map(openApiToJsonSchema);
    }
  }
  if (isJsonObject(schema.not)) {
    converted.not = openApiToJsonSchema(schema.not);
  }
  if (
    schema['x-kubernetes-int-or-string'] === true &&
    converted.type === undefined &&
    converted.anyOf === undefined &&
    converted.oneOf === undefined
  ) {
    converted.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  return converted;
}

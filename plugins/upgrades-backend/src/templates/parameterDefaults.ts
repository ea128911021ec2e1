import { JsonObject, JsonValue } from '@backstage/types';
import { TemplateEntityV1beta3 } from '@backstage/plugin-scaffolder-common';

type Schema = {
  properties?: Record<string, Schema & { default?: JsonValue }>;
};

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fill(schema: Schema, values: JsonObject): JsonObject {
  const result: JsonObject = { ...values };
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (!isObject(property)) continue;
    if (result[key] === undefined) {
      if (property.default !== undefined) result[key] = property.default;
    } else if (isObject(result[key]) && property.properties) {
      result[key] = fill(property, result[key] as JsonObject);
    }
  }
  return result;
}

/**
 * The answers with the defaults of the version's form for what they lack: a field a
 * newer version added was never asked, and the Create form would have sent its
 * default. Only unconditional properties (and those of nested objects) count: a
 * field under `dependencies`/`if` depends on answers the service never gave for it.
 */
export function withParameterDefaults(
  template: TemplateEntityV1beta3,
  values: JsonObject,
): JsonObject {
  const parameters = template.spec.parameters;
  const schemas = [parameters ?? []].flat() as Schema[];
  return schemas.reduce<JsonObject>(
    (acc, schema) => (isObject(schema) ? fill(schema, acc) : acc),
    values,
  );
}

import { stringifyEntityRef } from '@backstage/catalog-model';
import { JsonObject, JsonValue } from '@backstage/types';

/** What the lineage step reads of the scaffolder's `ctx.templateInfo`. */
export interface RunningTemplate {
  entityRef: string;
  entity?: {
    metadata: {
      name: string;
      namespace?: string;
      annotations?: Record<string, string>;
    };
    /** Not sent by the scaffolder today (it sends metadata only); read when present. */
    spec?: { parameters?: unknown };
  };
}

/**
 * The running template's ref. Taken from the template entity's metadata when the
 * task has it, because in a scaffolder dry run `templateInfo.entityRef` is
 * `template:default/dry-run` while `entity.metadata` is the real template's, and
 * template upgrades render through dry runs: a rendered service must keep naming
 * its real template.
 */
export function templateRefOf(templateInfo: RunningTemplate): string {
  const metadata = templateInfo.entity?.metadata;
  if (metadata?.name) {
    return stringifyEntityRef({
      kind: 'Template',
      namespace: metadata.namespace,
      name: metadata.name,
    });
  }
  return templateInfo.entityRef;
}

/**
 * The template's parameters as the golden-path file keeps them: without any
 * parameter the template's form treats as a secret (`ui:field: Secret` or
 * `ui:widget: password`), with keys sorted so that the same answers always give the
 * same file. `parameters` is the template's `spec.parameters` (one schema or a list
 * of form steps) when the caller has it; without it nothing can be recognised as a
 * secret here. (`ui:field: Secret` answers never reach the parameters anyway: the
 * Create form sends them as task secrets.)
 */
export function answersToKeep(
  values: JsonObject,
  parameters: unknown,
): JsonObject {
  const secrets = secretParameterNames(parameters);
  const kept: JsonObject = {};
  for (const key of Object.keys(values).sort()) {
    const value = values[key];
    if (secrets.has(key) || value === undefined) {
      continue;
    }
    kept[key] = sortKeys(value);
  }
  return kept;
}

/** Names of the parameters whose form field holds a secret. */
export function secretParameterNames(parameters: unknown): Set<string> {
  const names = new Set<string>();
  const visit = (schema: unknown) => {
    if (Array.isArray(schema)) {
      schema.forEach(visit);
      return;
    }
    if (!isObject(schema)) {
      return;
    }
    if (isObject(schema.properties)) {
      for (const [name, property] of Object.entries(schema.properties)) {
        if (isSecretField(property)) {
          names.add(name);
        }
      }
    }
    // Properties can also appear conditionally (JSON Schema composition and
    // react-jsonschema-form dependencies), still as top-level parameters.
    for (const key of ['allOf', 'anyOf', 'oneOf', 'then', 'else']) {
      visit(schema[key]);
    }
    if (isObject(schema.dependencies)) {
      Object.values(schema.dependencies).forEach(visit);
    }
  };
  visit(parameters);
  return names;
}

function isSecretField(property: unknown): boolean {
  if (!isObject(property)) {
    return false;
  }
  const options = isObject(property['ui:options'])
    ? property['ui:options']
    : {};
  return (
    property['ui:field'] === 'Secret' ||
    property['ui:widget'] === 'password' ||
    options.widget === 'password'
  );
}

function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (isObject(value)) {
    const sorted: JsonObject = {};
    for (const key of Object.keys(value).sort()) {
      if (value[key] !== undefined) {
        sorted[key] = sortKeys(value[key] as JsonValue);
      }
    }
    return sorted;
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

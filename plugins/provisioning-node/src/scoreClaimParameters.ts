import { InputError } from '@backstage/errors';
import { JsonObject, JsonValue } from '@backstage/types';
import type { ScoreResourceClaim } from './scoreResources';

/**
 * The parameters of a request made for a Score resource claim (a type's
 * `score.parameters`), from its `class` and `params`:
 *
 * - `params.<key>` sets the type's parameter `<key>` when `key` is one of `params`; it
 *   is checked against that parameter's schema (type, enum, bounds) so that a wrong
 *   value is refused naming `resources.<name>.params.<key>`, not a request field the
 *   workload's author never wrote. Any other key is refused.
 * - `class` sets the parameter `classParameter.name` when it is one of its values;
 *   `default` (or none) leaves the type's default. Without `classParameter` only
 *   `default` is accepted: a class the type cannot honour is refused, not ignored.
 *
 * Throws an `InputError` naming the field for what it refuses.
 *
 * @public
 */
export function scoreClaimParameters(
  claim: ScoreResourceClaim,
  options: {
    /** The JSON Schema of the type's parameters (its `parameters`). */
    schema: JsonObject;
    /** The type's parameters a workload may set through `params`. */
    params: string[];
    /** The parameter a `class` sets, e.g. a size or plan, and the classes it takes. */
    classParameter?: { name: string; values: string[] };
    /** Parameters set before `class` and `params`, e.g. a required list. */
    defaults?: JsonObject;
  },
): JsonObject {
  const field = `resources.${claim.name}`;
  const parameters: JsonObject = { ...options.defaults };
  const properties = (options.schema.properties ?? {}) as Record<
    string,
    JsonObject
  >;
  const { classParameter } = options;
  if (claim.class !== undefined && claim.class !== 'default') {
    if (!classParameter?.values.includes(claim.class)) {
      const classes = ['default', ...(classParameter?.values ?? [])];
      throw new InputError(
        `${field}.class: '${
          claim.class
        }' is not a class of Score resource type '${claim.type}'; use ${classes
          .map(c => `'${c}'`)
          .join(', ')}`,
      );
    }
    parameters[classParameter.name] = claim.class;
  }
  for (const [key, value] of Object.entries(claim.params ?? {})) {
    if (!options.params.includes(key)) {
      throw new InputError(
        `${field}.params.${key}: Score resource type '${
          claim.type
        }' takes no parameter '${key}'; it takes ${
          options.params.map(p => `'${p}'`).join(', ') || 'none'
        }`,
      );
    }
    const problem = valueProblem(value, properties[key] ?? {});
    if (problem) {
      throw new InputError(`${field}.params.${key}: ${problem}`);
    }
    parameters[key] = value;
  }
  return parameters;
}

/** What is wrong with a value for a schema, as far as a quick check can tell. */
function valueProblem(
  value: JsonValue | undefined,
  schema: JsonObject,
): string | undefined {
  const { type } = schema;
  const kind = kindOf(value);
  // A whole number is a number too.
  const fits = kind === type || (type === 'number' && kind === 'integer');
  if (type !== undefined && !fits) {
    return `must be ${/^[aeiou]/.test(String(type)) ? 'an' : 'a'} ${type}`;
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value as JsonValue)) {
    return `must be one of ${schema.enum.map(v => `'${v}'`).join(', ')}`;
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) {
      return `must be at least ${schema.minimum}`;
    }
    if (typeof schema.maximum === 'number' && value > schema.maximum) {
      return `must be at most ${schema.maximum}`;
    }
  }
  if (typeof value === 'string') {
    if (
      typeof schema.maxLength === 'number' &&
      value.length > schema.maxLength
    ) {
      return `must be at most ${schema.maxLength} characters`;
    }
    if (
      typeof schema.pattern === 'string' &&
      !new RegExp(schema.pattern, 'u').test(value)
    ) {
      return `must match ${schema.pattern}`;
    }
  }
  return undefined;
}

/** The JSON Schema type of a value: `integer` for whole numbers. */
function kindOf(value: JsonValue | undefined): string {
  if (Array.isArray(value)) {
    return 'array';
  }
  if (value === null) {
    return 'null';
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? 'integer' : 'number';
  }
  return typeof value;
}

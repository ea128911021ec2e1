import { ErrorObject } from 'ajv';

/** `/a/0/b` (a JSON pointer) as `a[0].b`, prefixed with the field under validation. */
function fieldPath(field: string, pointer: string, child?: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map(part => part.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) {
    parts.push(child);
  }
  return parts.reduce(
    (path, part) =>
      /^\d+$/.test(part) ? `${path}[${part}]` : `${path}.${part}`,
    field,
  );
}

/**
 * JSON Schema errors as one message that names every field, e.g.
 * `parameters.sizeGb: must be <= 500; parameters.environment: is required`.
 */
export function formatAjvErrors(
  field: string,
  errors: ErrorObject[] | null | undefined,
): string {
  const messages = (errors ?? []).map(error => {
    if (error.keyword === 'required') {
      return `${fieldPath(
        field,
        error.instancePath,
        error.params.missingProperty,
      )}: is required`;
    }
    if (error.keyword === 'additionalProperties') {
      return `${fieldPath(
        field,
        error.instancePath,
        error.params.additionalProperty,
      )}: is not allowed`;
    }
    if (error.keyword === 'enum') {
      const allowed = (error.params.allowedValues as unknown[])
        .map(value => JSON.stringify(value))
        .join(', ');
      return `${fieldPath(
        field,
        error.instancePath,
      )}: must be one of ${allowed}`;
    }
    return `${fieldPath(field, error.instancePath)}: ${error.message}`;
  });
  return [...new Set(messages)].join('; ');
}

import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';

/** One problem with one field of an input, e.g. `parameters.sizeGb: must be <= 500`. */
export interface FieldError {
  field: string;
  message: string;
}

const FIELD_PREFIX =
  /^([A-Za-z0-9_$-]+(?:\.[A-Za-z0-9_$-]+|\[\d+\])*): ([\s\S]+)$/;

/**
 * The field errors behind one of the service's refusals, for a plan that lists every
 * problem instead of failing on the first. The services' messages name their fields
 * as `Invalid <what>: <field>: <message>; <field>: <message>`; a part without a
 * field is put on `fallback`. Anything other than a refusal (the database is down)
 * is not the caller's problem and is thrown again.
 */
export function fieldErrorsOf(error: unknown, fallback: string): FieldError[] {
  if (
    !(
      error instanceof InputError ||
      error instanceof NotAllowedError ||
      error instanceof ConflictError ||
      error instanceof NotFoundError
    )
  ) {
    throw error;
  }
  const text = error.message.replace(/^Invalid [^:]+: /, '');
  const errors: FieldError[] = [];
  for (const part of text.split('; ')) {
    const match = FIELD_PREFIX.exec(part);
    const last = errors.at(-1);
    if (match) {
      errors.push({ field: match[1], message: match[2] });
    } else if (last) {
      // Prose with a semicolon, not a second field: it belongs to the one before.
      last.message = `${last.message}; ${part}`;
    } else {
      errors.push({ field: fallback, message: part });
    }
  }
  return errors;
}

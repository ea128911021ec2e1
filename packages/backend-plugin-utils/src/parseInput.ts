import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { formatZodError } from './formatZodError';

/**
 * Parses request input (a body, a query) with a zod schema. Input that does not fit
 * is an `InputError` (a 400) naming every field that is wrong, e.g.
 * `Invalid request: name: is required`; nothing at all is parsed as `{}`, so that a
 * missing body names its required fields.
 *
 * @param what - what the input is, for the message: `request`, `query`, …
 * @public
 */
export function parseInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string = 'input',
): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new InputError(`Invalid ${what}: ${formatZodError(result.error)}`);
  }
  return result.data;
}

import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { formatZodError } from './formatValidationErrors';

/** Parses request input with a zod schema; a 400 naming the fields otherwise. */
export function parseInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string,
): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw new InputError(`Invalid ${what}: ${formatZodError(result.error)}`);
  }
  return result.data;
}

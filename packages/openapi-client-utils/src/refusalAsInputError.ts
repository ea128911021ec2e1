import { InputError, ResponseError } from '@backstage/errors';

/**
 * A 4xx `ResponseError` of an API called on someone's behalf, as an `InputError`
 * carrying the API's own message (which names the field that was wrong), so that
 * a scaffolder task fails with what the API said rather than "Request failed with
 * 400". Anything else (a 5xx, a network error) is returned as it is.
 *
 * @public
 */
export function refusalAsInputError(error: unknown): unknown {
  if (
    ResponseError.is(error) &&
    error.statusCode >= 400 &&
    error.statusCode < 500
  ) {
    return new InputError(error.cause.message);
  }
  return error;
}

import { ResponseError } from '@backstage/errors';

/**
 * What the server said about a failed call (which names the field or the rule):
 * a `ResponseError`'s own message is only `Request failed with 409 Conflict`, the
 * server's is its cause's. Any other error's own message.
 *
 * @public
 */
export const messageOf = (error: Error): string =>
  ResponseError.is(error) ? error.cause.message : error.message;

/**
 * The HTTP status of a failed call, if the error was an HTTP answer.
 *
 * @public
 */
export const statusOf = (error: unknown): number | undefined => {
  if (ResponseError.is(error)) {
    return error.statusCode;
  }
  // Errors of other HTTP clients carry the status under one of these names.
  const shaped = error as
    | { statusCode?: number; response?: { status?: number } }
    | undefined;
  return shaped?.statusCode ?? shaped?.response?.status;
};

import { ResponseError } from '@backstage/errors';

/** The HTTP status of a failed call, if it was one. */
export const statusOf = (error: Error) =>
  ResponseError.is(error) ? error.statusCode : undefined;

/**
 * What the server said: a `ResponseError`'s own message is only `Request failed
 * with 409`, the server's is its cause's.
 */
export const messageOf = (error: Error) =>
  ResponseError.is(error) ? error.cause.message : error.message;

/** What a 403 means here, in words a member of another team understands. */
export function forbiddenHint(owner: string, what: string): string {
  return `Only members of ${owner} (or platform admins) can ${what}. Ask someone in that team, or request your own resource.`;
}

/**
 * The server's messages name the field, e.g. `Invalid request: parameters.sizeGb:
 * must be <= 500; name: is required` or `Quota exceeded: owner: ...`. This splits
 * such a message into one entry per field so that each can be shown at its input.
 */
export function fieldErrors(error: Error): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const part of messageOf(error).split('; ')) {
    // An optional lead-in without a colon ("Invalid request", "Quota exceeded"),
    // then the field and what is wrong with it.
    const match = /^(?:[^:]+: )?([\w.[\]-]+): (.+)$/.exec(part.trim());
    if (match) {
      (result[match[1]] ??= []).push(match[2]);
    }
  }
  return result;
}

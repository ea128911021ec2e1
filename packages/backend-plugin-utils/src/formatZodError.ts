import { z } from 'zod';

/** More than this many problems are counted, not listed: a batch of 1000 bad events stays one line. */
const MAX_LISTED = 10;

/** `['events', 3, 'timestamp']` as `events[3].timestamp`. */
function pathOf(path: PropertyKey[]): string {
  return path.reduce<string>((joined, part) => {
    if (typeof part === 'number') {
      return `${joined}[${part}]`;
    }
    return joined ? `${joined}.${String(part)}` : String(part);
  }, '');
}

/**
 * Zod issues as one message that names every field, e.g.
 * `name: is required; events[3].timestamp: Invalid ISO datetime`. Unknown keys of a
 * strict object are named one by one; a problem with the value as a whole is the
 * `body`'s.
 *
 * @public
 */
export function formatZodError(error: z.ZodError): string {
  const messages = error.issues.flatMap(issue => {
    const path = pathOf(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map(
        key => `${path ? `${path}.` : ''}${key}: is not allowed`,
      );
    }
    return [`${path || 'body'}: ${issue.message}`];
  });
  const more = messages.length - MAX_LISTED;
  return [
    ...messages.slice(0, MAX_LISTED),
    ...(more > 0 ? [`and ${more} more`] : []),
  ].join('; ');
}

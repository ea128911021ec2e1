import { createHash } from 'node:crypto';

/**
 * The longest name of an attached resource's copy. Request names are DNS labels (63
 * characters) and each type may ask for less; 60 is what a database allows (its role
 * `<name>_rw` must fit PostgreSQL's 63-byte identifiers), the shortest limit of the
 * types environments hold.
 */
export const MAX_COPY_NAME_LENGTH = 60;

/**
 * The name of a copy's resource, whatever its type: `<new env>-<source name>`,
 * without the source's leading `<source env>-` (so that `orders-main-db` copied into
 * `orders-pr-7` is `orders-pr-7-db`). A name longer than
 * {@link MAX_COPY_NAME_LENGTH} is cut and ends in `-` and six hex digits of a hash of
 * the full name; one that would start with a digit gets `env-` in front (some types,
 * databases among them, need a leading letter).
 *
 * @public
 */
export function copyResourceName(
  environment: string,
  sourceEnvironment: string,
  sourceName: string,
): string {
  const prefix = `${sourceEnvironment}-`;
  const rest =
    sourceName.startsWith(prefix) && sourceName.length > prefix.length
      ? sourceName.slice(prefix.length)
      : sourceName;
  let full = `${environment}-${rest}`;
  if (!/^[a-z]/.test(full)) {
    full = `env-${full}`;
  }
  if (full.length <= MAX_COPY_NAME_LENGTH) {
    return full;
  }
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 6);
  return `${full
    .slice(0, MAX_COPY_NAME_LENGTH - hash.length - 1)
    .replace(/-+$/, '')}-${hash}`;
}

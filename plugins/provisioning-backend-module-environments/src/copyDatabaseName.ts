import { createHash } from 'node:crypto';

/**
 * The longest name of a database request: `MAX_NAME_LENGTH` in the postgres module's
 * names.ts (its roles `<name>_rw` must fit PostgreSQL's 63-byte identifiers).
 */
export const MAX_DATABASE_NAME_LENGTH = 60;

/**
 * The name of a copy's database: `<new env>-<source database name>`, without the
 * source database's leading `<source env>-` (so that `orders-main-db` copied into
 * `orders-pr-7` is `orders-pr-7-db`). A name longer than
 * {@link MAX_DATABASE_NAME_LENGTH} is cut and ends in `-` and six hex digits of a
 * hash of the full name; one that starts with a digit gets `db-` in front (database
 * names start with a letter).
 *
 * @public
 */
export function copyDatabaseName(
  environment: string,
  sourceEnvironment: string,
  sourceDatabase: string,
): string {
  const prefix = `${sourceEnvironment}-`;
  const rest =
    sourceDatabase.startsWith(prefix) && sourceDatabase.length > prefix.length
      ? sourceDatabase.slice(prefix.length)
      : sourceDatabase;
  let full = `${environment}-${rest}`;
  if (!/^[a-z]/.test(full)) {
    full = `db-${full}`;
  }
  if (full.length <= MAX_DATABASE_NAME_LENGTH) {
    return full;
  }
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 6);
  return `${full
    .slice(0, MAX_DATABASE_NAME_LENGTH - hash.length - 1)
    .replace(/-+$/, '')}-${hash}`;
}

import { createHash } from 'node:crypto';

/**
 * A request name as PostgreSQL and Kubernetes see it. The engine already requires a
 * DNS label (lowercase letters, digits, dashes; at most 63 characters); on top of it
 * the name must start with a letter, be at most {@link MAX_NAME_LENGTH} characters so
 * that `<database>_rw` fits PostgreSQL's 63-byte identifier limit, and not be reserved.
 * Dashes become underscores in the database, so `orders-db` is database `orders_db`
 * with roles `orders_db_rw` and `orders_db_ro`, and Secret `orders-db-postgres`.
 */
export const MAX_NAME_LENGTH = 60;

const NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;
const RESERVED_DATABASES = new Set(['postgres', 'template0', 'template1']);

/** The objects of one database. */
export interface PostgresNames {
  database: string;
  readWriteRole: string;
  readOnlyRole: string;
  secretName: string;
}

export function postgresNames(name: string): PostgresNames {
  const database = name.replace(/-/g, '_');
  return {
    database,
    readWriteRole: `${database}_rw`,
    readOnlyRole: `${database}_ro`,
    secretName: `${name}-postgres`,
  };
}

/** PostgreSQL's limit on identifiers, in bytes (request names are ASCII). */
const MAX_IDENTIFIER_LENGTH = 63;

/** The objects of one read-only access grant (a `postgres-read-access` request). */
export interface ReadAccessNames {
  /** The login role, `<database>_ro_<grant>`; shortened with a hash to fit 63 bytes. */
  role: string;
  /** `<grant>-postgres-ro`, in the grantee team's namespace. */
  secretName: string;
}

export function readAccessNames(
  databaseRequest: string,
  grantRequest: string,
): ReadAccessNames {
  const { readOnlyRole } = postgresNames(databaseRequest);
  const full = `${readOnlyRole}_${grantRequest.replace(/-/g, '_')}`;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return {
    role:
      full.length <= MAX_IDENTIFIER_LENGTH
        ? full
        : `${full.slice(0, MAX_IDENTIFIER_LENGTH - 9)}_${hash}`,
    secretName: `${grantRequest}-postgres-ro`,
  };
}

/** Why a request name cannot be a database name; undefined when it can. */
export function validateDatabaseName(name: string): string | undefined {
  if (!NAME.test(name)) {
    return 'must start with a letter and be lowercase letters, digits and dashes (dashes become underscores in the database name)';
  }
  if (name.length > MAX_NAME_LENGTH) {
    return `must be at most ${MAX_NAME_LENGTH} characters for a PostgreSQL database, so that its role names (<name>_rw, <name>_ro) fit PostgreSQL's 63-character limit`;
  }
  const { database } = postgresNames(name);
  if (RESERVED_DATABASES.has(database) || database.startsWith('pg_')) {
    return `'${name}' is reserved by PostgreSQL (postgres, template0, template1 and names starting with pg- are)`;
  }
  return undefined;
}

/*
 * What PostgreSQL's catalogs say about the objects of a request, and the comments that
 * mark them as a request's.
 */

/** Runs one statement; values are bound, never spliced in. */
export type Query = <R extends object = Record<string, unknown>>(
  sql: string,
  params?: unknown[],
) => Promise<R[]>;

export interface DatabaseRow {
  comment: string | null;
  owner_comment: string | null;
}

export interface RoleRow {
  rolname: string;
  comment: string | null;
  rolcanlogin: boolean;
  rolconnlimit: number;
  rolsuper: boolean;
  rolcreatedb: boolean;
  rolcreaterole: boolean;
  rolreplication: boolean;
  rolbypassrls: boolean;
}

/** The comment that marks a database or role as made by one request. */
export const liveMarker = (requestId: string) => `paved:request:${requestId}`;

/** The comment of a deleted request's database, kept until it is purged. */
export const deletedMarker = (requestId: string, deletedAt: string) =>
  `paved:deleted:${deletedAt} request:${requestId}`;

const DELETED = /^paved:deleted:(\S+) request:(\S+)$/;

export function parseDeletedMarker(
  comment: string | null | undefined,
): { deletedAt: Date; requestId: string } | undefined {
  const match = DELETED.exec(comment ?? '');
  const deletedAt = new Date(match?.[1] ?? NaN);
  return match && !isNaN(deletedAt.getTime())
    ? { deletedAt, requestId: match[2] }
    : undefined;
}

/** Whether a database is the request's: by its comment or, right after CREATE DATABASE, its owner's. */
export function isOwnDatabase(
  row: DatabaseRow,
  requestId: string,
  options: { deleted?: boolean } = {},
): boolean {
  const marker = liveMarker(requestId);
  if (row.comment === marker) {
    return true;
  }
  if (
    options.deleted &&
    parseDeletedMarker(row.comment)?.requestId === requestId
  ) {
    return true;
  }
  // Made, but not yet commented, by an earlier attempt of this request.
  return row.comment === null && row.owner_comment === marker;
}

/** A database's comment and its owner's comment; undefined when there is none. */
export async function readDatabase(
  query: Query,
  name: string,
): Promise<DatabaseRow | undefined> {
  const [row] = await query<DatabaseRow>(
    `SELECT shobj_description(d.oid, 'pg_database') AS comment,
            shobj_description(d.datdba, 'pg_authid') AS owner_comment
       FROM pg_database d WHERE d.datname = $1`,
    [name],
  );
  return row;
}

/** The roles of `names` that exist. */
export async function readRoles(
  query: Query,
  names: string[],
): Promise<RoleRow[]> {
  return query<RoleRow>(
    `SELECT rolname, shobj_description(oid, 'pg_authid') AS comment,
            rolcanlogin, rolconnlimit, rolsuper, rolcreatedb, rolcreaterole,
            rolreplication, rolbypassrls
       FROM pg_roles WHERE rolname = ANY($1::text[]) ORDER BY rolname`,
    [names],
  );
}

/** Ends the sessions on a database or of a role, each on its own (one may be refused). */
export async function terminateSessions(
  query: Query,
  options: { database?: string; role?: string },
): Promise<void> {
  if (!options.database && !options.role) {
    return;
  }
  const sessions = await query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity
      WHERE (datname = $1 OR usename = $2) AND pid <> pg_backend_pid()`,
    [options.database ?? null, options.role ?? null],
  );
  for (const { pid } of sessions) {
    await query('SELECT pg_terminate_backend($1)', [pid]).catch(() => {});
  }
}

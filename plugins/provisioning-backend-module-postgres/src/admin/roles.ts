import { NonRetryableError } from '@paved/plugin-provisioning-node';
import { escapeIdentifier as ident, escapeLiteral as literal } from 'pg';
import { liveMarker, Query, readRoles, RoleRow } from '../pgCatalog';
import { sqlStateOf } from './sqlState';

/*
 * The roles Paved makes: created with the request's marker, least privilege, and
 * checked to be the request's before anything is done with them.
 */

/** Attributes a role made here never has, and the ALTER ROLE words that take them away. */
const FORBIDDEN_ATTRIBUTES: Array<[keyof RoleRow, string]> = [
  ['rolsuper', 'NOSUPERUSER'],
  ['rolcreatedb', 'NOCREATEDB'],
  ['rolcreaterole', 'NOCREATEROLE'],
  ['rolreplication', 'NOREPLICATION'],
  ['rolbypassrls', 'NOBYPASSRLS'],
];

/** The attributes of every role made here, on top of LOGIN or NOLOGIN. */
export const LEAST_PRIVILEGE =
  'NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT';

/** A connection limit as SQL; the schema already checked it, this keeps SQL safe anyway. */
export function limitSql(connectionLimit: number): string {
  if (!Number.isInteger(connectionLimit) || connectionLimit < 1) {
    throw new NonRetryableError(
      `Connection limit ${connectionLimit} is not a positive whole number`,
    );
  }
  return String(connectionLimit);
}

/**
 * Creates a role with its marker in one transaction, or checks the one there; then
 * takes away any attribute someone granted it since.
 */
export async function ensureRole(
  query: Query,
  options: {
    targetId: string;
    role: string;
    marker: string;
    attributes: string;
  },
): Promise<void> {
  const { targetId, role, marker, attributes } = options;
  if ((await readRoles(query, [role])).length === 0) {
    await query('BEGIN');
    try {
      await query(`CREATE ROLE ${ident(role)} WITH ${attributes}`);
      await query(`COMMENT ON ROLE ${ident(role)} IS ${literal(marker)}`);
      await query('COMMIT');
    } catch (error) {
      await query('ROLLBACK').catch(() => {});
      // Made meanwhile by someone else: checked below.
      if (sqlStateOf(error) !== '42710') {
        throw error;
      }
    }
  }
  const [row] = await readRoles(query, [role]);
  if (!row || row.comment !== marker) {
    throw new NonRetryableError(
      `Role '${role}' already exists on target '${targetId}' and was not made by this request; choose another name`,
    );
  }
  // Converge: whatever someone granted the role since is taken away again.
  const extra = FORBIDDEN_ATTRIBUTES.filter(([column]) => row[column]).map(
    ([, word]) => word,
  );
  if (extra.length > 0) {
    await query(`ALTER ROLE ${ident(role)} WITH ${extra.join(' ')}`);
  }
}

/** Refuses (NonRetryableError) a role that is gone or is not the request's. */
export async function assertOwnRole(
  query: Query,
  options: { targetId: string; role: string; requestId: string },
): Promise<void> {
  const { targetId, role, requestId } = options;
  const [row] = await readRoles(query, [role]);
  if (!row || row.comment !== liveMarker(requestId)) {
    throw new NonRetryableError(
      row
        ? `Role '${role}' on target '${targetId}' was not made by this request`
        : `Role '${role}' does not exist on target '${targetId}' (was it dropped outside Paved?)`,
    );
  }
}

/**
 * An admin that is not a superuser (a managed service's master user) needs
 * membership in the login role to create a database it owns and to grant in it.
 */
export async function joinIfNotSuperuser(
  query: Query,
  role: string,
): Promise<void> {
  const [me] = await query<{ rolsuper: boolean; member: boolean }>(
    `SELECT rolsuper, pg_has_role(current_user, $1, 'MEMBER') AS member
       FROM pg_roles WHERE rolname = current_user`,
    [role],
  );
  if (!me.rolsuper && !me.member) {
    await query(`GRANT ${ident(role)} TO CURRENT_USER`);
  }
}

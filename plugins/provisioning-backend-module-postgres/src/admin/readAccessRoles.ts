import { NonRetryableError } from '@paved/plugin-provisioning-node';
import { escapeIdentifier as ident } from 'pg';
import { liveMarker, readRoles, terminateSessions } from '../pgCatalog';
import { AdminSessions } from './AdminSessions';
import { ensureRole, LEAST_PRIVILEGE, limitSql } from './roles';

/*
 * Login roles that read one database (a read-access request): members of the
 * database's read-only role and nothing else.
 */

/**
 * Creates, or converges, a login role that reads one database: a member (INHERIT)
 * of the database's read-only role, with a connection limit and nothing else.
 * Refuses (NonRetryableError) when the read-only role is gone or the login role's
 * name belongs to something else.
 */
export async function provisionReadAccess(
  admin: AdminSessions,
  options: {
    role: string;
    readOnlyRole: string;
    requestId: string;
    connectionLimit: number;
    signal?: AbortSignal;
  },
): Promise<void> {
  const { role, readOnlyRole, requestId, connectionLimit, signal } = options;
  const targetId = admin.target.id;
  const limit = limitSql(connectionLimit);
  await admin.session(
    async query => {
      if ((await readRoles(query, [readOnlyRole])).length === 0) {
        throw new NonRetryableError(
          `Role '${readOnlyRole}' does not exist on target '${targetId}': the database was deleted, or its roles were dropped outside Paved`,
        );
      }
      await ensureRole(query, {
        targetId,
        role,
        marker: liveMarker(requestId),
        attributes: `LOGIN ${LEAST_PRIVILEGE} CONNECTION LIMIT ${limit}`,
      });
      await query(
        `ALTER ROLE ${ident(
          role,
        )} WITH LOGIN INHERIT CONNECTION LIMIT ${limit}`,
      );
      await query(`GRANT ${ident(readOnlyRole)} TO ${ident(role)}`);
    },
    { signal },
  );
}

/**
 * Drops a login role made by {@link provisionReadAccess}: it stops accepting
 * logins, its sessions end, then it goes. It owns nothing, having no privilege to
 * create anything. A role that is gone, or is not this request's, is left alone.
 */
export async function dropReadAccess(
  admin: AdminSessions,
  options: { role: string; requestId: string; signal?: AbortSignal },
): Promise<'dropped' | 'absent' | 'not-ours'> {
  const { role, requestId, signal } = options;
  return admin.session(
    async query => {
      const [row] = await readRoles(query, [role]);
      if (!row) {
        return 'absent';
      }
      if (row.comment !== liveMarker(requestId)) {
        return 'not-ours';
      }
      await query(`ALTER ROLE ${ident(role)} WITH NOLOGIN PASSWORD NULL`);
      await terminateSessions(query, { role });
      await query(`DROP ROLE IF EXISTS ${ident(role)}`);
      return 'dropped';
    },
    { signal },
  );
}

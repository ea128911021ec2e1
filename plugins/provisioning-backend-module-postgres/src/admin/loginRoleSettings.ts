import { escapeIdentifier as ident, escapeLiteral as literal } from 'pg';
import { AdminSessions } from './AdminSessions';
import { assertOwnRole, limitSql } from './roles';
import { sqlStateOf } from './sqlState';

/**
 * Sets a request's login role's password. Only the SCRAM verifier is sent (see
 * `scramSha256Verifier`); errors never carry it.
 */
export async function setPassword(
  admin: AdminSessions,
  options: {
    role: string;
    requestId: string;
    verifier: string;
    signal?: AbortSignal;
  },
): Promise<void> {
  const targetId = admin.target.id;
  await admin.session(
    async query => {
      await assertOwnRole(query, { targetId, ...options });
      await query(
        `ALTER ROLE ${ident(options.role)} WITH PASSWORD ${literal(
          options.verifier,
        )}`,
      ).catch(error => {
        throw new Error(
          `Could not set the password of role '${
            options.role
          }' on target '${targetId}' (SQLSTATE ${String(sqlStateOf(error))})`,
        );
      });
    },
    { signal: options.signal },
  );
}

/** Sets how many connections a request's login role may have at once. */
export async function setConnectionLimit(
  admin: AdminSessions,
  options: {
    role: string;
    requestId: string;
    connectionLimit: number;
    signal?: AbortSignal;
  },
): Promise<void> {
  await admin.session(
    async query => {
      await assertOwnRole(query, { targetId: admin.target.id, ...options });
      await query(
        `ALTER ROLE ${ident(options.role)} WITH CONNECTION LIMIT ${limitSql(
          options.connectionLimit,
        )}`,
      );
    },
    { signal: options.signal },
  );
}

import { escapeIdentifier as ident, escapeLiteral as literal } from 'pg';
import { PostgresNames } from '../names';
import {
  deletedMarker,
  isOwnDatabase,
  liveMarker,
  parseDeletedMarker,
  readDatabase,
  readRoles,
  terminateSessions,
} from '../pgCatalog';
import { AdminSessions } from './AdminSessions';

/**
 * Makes a request's database unreachable and marks it deleted, to be dropped by
 * `purgeDatabases` after the retention: the login role loses LOGIN and its
 * password, the database refuses connections, open sessions end. Roles without a
 * database (provisioning stopped before it) are dropped at once. Whatever is gone
 * already, or belongs to something else, is left alone.
 */
export async function retireDatabase(
  admin: AdminSessions,
  options: {
    names: PostgresNames;
    requestId: string;
    deletedAt: string;
    signal?: AbortSignal;
  },
): Promise<{ database: 'retired' | 'absent' }> {
  const { names, requestId, deletedAt, signal } = options;
  return admin.session(
    async query => {
      const roles = await readRoles(query, [
        names.readWriteRole,
        names.readOnlyRole,
      ]);
      const own = roles.filter(r => r.comment === liveMarker(requestId));
      const rw = own.find(r => r.rolname === names.readWriteRole);
      if (rw) {
        await query(
          `ALTER ROLE ${ident(rw.rolname)} WITH NOLOGIN PASSWORD NULL`,
        );
      }
      const database = await readDatabase(query, names.database);
      const ours =
        database && isOwnDatabase(database, requestId, { deleted: true });
      if (ours) {
        const db = ident(names.database);
        await query(`ALTER DATABASE ${db} WITH ALLOW_CONNECTIONS false`);
        if (!parseDeletedMarker(database.comment)) {
          await query(
            `COMMENT ON DATABASE ${db} IS ${literal(
              deletedMarker(requestId, deletedAt),
            )}`,
          );
        }
      }
      await terminateSessions(query, {
        database: ours ? names.database : undefined,
        role: rw?.rolname,
      });
      if (!ours) {
        // No database of this request: its roles hold nothing worth keeping.
        for (const role of own) {
          await query(`DROP ROLE IF EXISTS ${ident(role.rolname)}`);
        }
      }
      return { database: ours ? 'retired' : 'absent' };
    },
    { signal },
  );
}

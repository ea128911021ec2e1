import { escapeIdentifier as ident } from 'pg';
import {
  liveMarker,
  parseDeletedMarker,
  readRoles,
  terminateSessions,
} from '../pgCatalog';
import { AdminSessions } from './AdminSessions';

/** PostgreSQL 13, the first with `DROP DATABASE ... WITH (FORCE)`. */
const FORCE_DROP_SINCE = 130000;

/**
 * Drops the databases marked deleted (by `retireDatabase`) before `olderThan`, and
 * their roles. A database that cannot be dropped is reported to `onError` and the
 * others still go. Returns the names of the databases dropped.
 */
export async function purgeDatabases(
  admin: AdminSessions,
  options: {
    olderThan: Date;
    onError?: (database: string, error: unknown) => void;
  },
): Promise<string[]> {
  return admin.session(async query => {
    const [{ version }] = await query<{ version: number }>(
      "SELECT current_setting('server_version_num')::int AS version",
    );
    const marked = await query<{ datname: string; comment: string }>(
      `SELECT d.datname, shobj_description(d.oid, 'pg_database') AS comment
         FROM pg_database d
        WHERE shobj_description(d.oid, 'pg_database') LIKE 'paved:deleted:%'
        ORDER BY d.datname`,
    );
    const dropped: string[] = [];
    for (const { datname, comment } of marked) {
      const deleted = parseDeletedMarker(comment);
      if (!deleted || deleted.deletedAt > options.olderThan) {
        continue;
      }
      try {
        await terminateSessions(query, { database: datname });
        await query(
          `DROP DATABASE IF EXISTS ${ident(datname)}${
            version >= FORCE_DROP_SINCE ? ' WITH (FORCE)' : ''
          }`,
        );
        const roles = await readRoles(query, [
          `${datname}_rw`,
          `${datname}_ro`,
        ]);
        for (const role of roles) {
          if (role.comment === liveMarker(deleted.requestId)) {
            await query(`DROP ROLE IF EXISTS ${ident(role.rolname)}`);
          }
        }
        dropped.push(datname);
      } catch (error) {
        options.onError?.(datname, error);
      }
    }
    return dropped;
  });
}

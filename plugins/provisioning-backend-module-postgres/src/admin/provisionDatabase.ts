import { NonRetryableError } from '@paved/plugin-provisioning-node';
import { escapeIdentifier as ident, escapeLiteral as literal } from 'pg';
import { PostgresNames } from '../names';
import {
  isOwnDatabase,
  liveMarker,
  parseDeletedMarker,
  Query,
  readDatabase,
  readRoles,
} from '../pgCatalog';
import { AdminSessions } from './AdminSessions';
import { grantDatabaseAccess, grantSchemaAccess } from './grants';
import {
  ensureRole,
  joinIfNotSuperuser,
  LEAST_PRIVILEGE,
  limitSql,
} from './roles';
import { sqlStateOf } from './sqlState';

/**
 * Creates, or converges, the roles and the database of a request: a login role with
 * the connection limit, a read-only group role, the database owned by the login
 * role, PUBLIC without any privilege, and default privileges that let the read-only
 * role read whatever the login role creates. Refuses (NonRetryableError) before
 * making anything when one of the names belongs to something else.
 */
export async function provisionDatabase(
  admin: AdminSessions,
  options: {
    names: PostgresNames;
    requestId: string;
    connectionLimit: number;
    signal?: AbortSignal;
  },
): Promise<void> {
  const { names, requestId, connectionLimit, signal } = options;
  const targetId = admin.target.id;
  const marker = liveMarker(requestId);
  const rw = ident(names.readWriteRole);
  const db = ident(names.database);

  await admin.session(
    async query => {
      await assertAvailable(query, { targetId, names, requestId });
      await ensureRole(query, {
        targetId,
        role: names.readWriteRole,
        marker,
        attributes: `LOGIN ${LEAST_PRIVILEGE} CONNECTION LIMIT ${limitSql(
          connectionLimit,
        )}`,
      });
      await ensureRole(query, {
        targetId,
        role: names.readOnlyRole,
        marker,
        attributes: `NOLOGIN ${LEAST_PRIVILEGE}`,
      });
      await query(
        `ALTER ROLE ${rw} WITH LOGIN CONNECTION LIMIT ${limitSql(
          connectionLimit,
        )}`,
      );
      await joinIfNotSuperuser(query, names.readWriteRole);

      const exists = await readDatabase(query, names.database);
      if (!exists) {
        // CREATE DATABASE cannot run in a transaction. Should the comment below not
        // follow, the owner (a role carrying this request's marker) still tells a retry
        // that the database is this request's.
        await query(`CREATE DATABASE ${db} OWNER ${rw}`).catch(async error => {
          if (sqlStateOf(error) !== '42P04') {
            throw error;
          }
          await assertAvailable(query, { targetId, names, requestId });
        });
      }
      await query(`COMMENT ON DATABASE ${db} IS ${literal(marker)}`);
      await query(`ALTER DATABASE ${db} OWNER TO ${rw}`);
      await grantDatabaseAccess(query, names);
    },
    { signal },
  );

  await admin.session(query => grantSchemaAccess(query, names), {
    database: names.database,
    signal,
  });
}

/**
 * Refuses (NonRetryableError) a database or role of the request's names that is
 * not the request's, saying whether a deleted request's database is still kept.
 */
async function assertAvailable(
  query: Query,
  options: { targetId: string; names: PostgresNames; requestId: string },
): Promise<void> {
  const { names, requestId } = options;
  const where = `on target '${options.targetId}'`;
  const database = await readDatabase(query, names.database);
  if (database && !isOwnDatabase(database, requestId)) {
    const deleted = parseDeletedMarker(database.comment);
    throw new NonRetryableError(
      deleted
        ? `Database '${
            names.database
          }' ${where} belongs to a request deleted at ${deleted.deletedAt.toISOString()} and is kept for the deletion retention (provisioning.postgres.deletionRetention) before it is dropped; choose another name`
        : `Database '${names.database}' already exists ${where} and was not made by this request; choose another name`,
    );
  }
  for (const role of await readRoles(query, [
    names.readWriteRole,
    names.readOnlyRole,
  ])) {
    if (role.comment !== liveMarker(requestId)) {
      throw new NonRetryableError(
        `Role '${role.rolname}' already exists ${where} and was not made by this request; choose another name`,
      );
    }
  }
}

import { NonRetryableError } from '@paved/plugin-provisioning-node';
import {
  Client,
  ClientConfig,
  escapeIdentifier as ident,
  escapeLiteral as literal,
} from 'pg';
import { PostgresTarget } from './config';
import { PostgresNames } from './names';
import {
  deletedMarker,
  isOwnDatabase,
  liveMarker,
  parseDeletedMarker,
  Query,
  readDatabase,
  readRoles,
  RoleRow,
  terminateSessions,
} from './pgCatalog';

/** Attributes a role made here never has, and the ALTER ROLE words that take them away. */
const FORBIDDEN_ATTRIBUTES: Array<[keyof RoleRow, string]> = [
  ['rolsuper', 'NOSUPERUSER'],
  ['rolcreatedb', 'NOCREATEDB'],
  ['rolcreaterole', 'NOCREATEROLE'],
  ['rolreplication', 'NOREPLICATION'],
  ['rolbypassrls', 'NOBYPASSRLS'],
];
const LEAST_PRIVILEGE =
  'NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT';

const codeOf = (error: unknown) => (error as { code?: unknown })?.code;

/** A connection limit as SQL; the schema already checked it, this keeps SQL safe anyway. */
function limitSql(connectionLimit: number): string {
  if (!Number.isInteger(connectionLimit) || connectionLimit < 1) {
    throw new NonRetryableError(
      `Connection limit ${connectionLimit} is not a positive whole number`,
    );
  }
  return String(connectionLimit);
}

/**
 * One target server, as its admin. Every statement quotes identifiers with
 * `escapeIdentifier` and literals with `escapeLiteral` (utility statements such as
 * CREATE ROLE take no bind parameters); queries bind their values. Objects carry a
 * comment naming the request that made them, and nothing is touched that does not.
 */
export class PostgresAdmin {
  constructor(readonly target: PostgresTarget, private readonly ca?: string) {}

  private clientConfig(database: string): ClientConfig {
    const { target } = this;
    return {
      host: target.host,
      port: target.port,
      user: target.adminUser,
      password: target.adminPassword,
      database,
      application_name: 'paved-provisioning',
      connectionTimeoutMillis: 15_000,
      statement_timeout: 60_000,
      ssl: this.ssl(),
    };
  }

  private ssl(): ClientConfig['ssl'] {
    switch (this.target.sslMode) {
      case 'disable':
        return false;
      case 'require':
        return { rejectUnauthorized: false };
      default:
        return {
          rejectUnauthorized: true,
          ca: this.ca,
          servername: this.target.host,
        };
    }
  }

  /** Runs `fn` on a connection of its own to `database` (the admin database by default). */
  async session<T>(
    fn: (query: Query) => Promise<T>,
    options: { database?: string; signal?: AbortSignal } = {},
  ): Promise<T> {
    const client = new Client(
      this.clientConfig(options.database ?? this.target.adminDatabase),
    );
    // A server that ends the connection must not take the backend down with it.
    client.on('error', () => {});
    await client.connect();
    const query: Query = async (sql, params) => {
      options.signal?.throwIfAborted();
      const result = await client.query(sql, params);
      return result.rows;
    };
    try {
      return await fn(query);
    } finally {
      await client.end().catch(() => {});
    }
  }

  /**
   * Creates, or converges, the roles and the database of a request: a login role with
   * the connection limit, a read-only group role, the database owned by the login
   * role, PUBLIC without any privilege, and default privileges that let the read-only
   * role read whatever the login role creates. Refuses (NonRetryableError) before
   * making anything when one of the names belongs to something else.
   */
  async provision(options: {
    names: PostgresNames;
    requestId: string;
    connectionLimit: number;
    signal?: AbortSignal;
  }): Promise<void> {
    const { names, requestId, connectionLimit, signal } = options;
    const marker = liveMarker(requestId);
    const rw = ident(names.readWriteRole);
    const ro = ident(names.readOnlyRole);
    const db = ident(names.database);

    await this.session(
      async query => {
        await this.assertAvailable(query, names, requestId);
        await this.ensureRole(
          query,
          names.readWriteRole,
          marker,
          `LOGIN ${LEAST_PRIVILEGE} CONNECTION LIMIT ${limitSql(
            connectionLimit,
          )}`,
        );
        await this.ensureRole(
          query,
          names.readOnlyRole,
          marker,
          `NOLOGIN ${LEAST_PRIVILEGE}`,
        );
        await query(
          `ALTER ROLE ${rw} WITH LOGIN CONNECTION LIMIT ${limitSql(
            connectionLimit,
          )}`,
        );
        await this.joinIfNotSuperuser(query, names.readWriteRole);

        const exists = await readDatabase(query, names.database);
        if (!exists) {
          // CREATE DATABASE cannot run in a transaction. Should the comment below not
          // follow, the owner (a role carrying this request's marker) still tells a retry
          // that the database is this request's.
          await query(`CREATE DATABASE ${db} OWNER ${rw}`).catch(
            async error => {
              if (codeOf(error) !== '42P04') {
                throw error;
              }
              await this.assertAvailable(query, names, requestId);
            },
          );
        }
        await query(`COMMENT ON DATABASE ${db} IS ${literal(marker)}`);
        await query(`ALTER DATABASE ${db} OWNER TO ${rw}`);
        await query(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`);
        await query(`GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${rw}`);
        await query(`GRANT CONNECT ON DATABASE ${db} TO ${ro}`);
      },
      { signal },
    );

    await this.session(
      async query => {
        await query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
        await query(`GRANT USAGE, CREATE ON SCHEMA public TO ${rw}`);
        await query(`GRANT USAGE ON SCHEMA public TO ${ro}`);
        await query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${ro}`);
        await query(`GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO ${ro}`);
        for (const objects of ['TABLES', 'SEQUENCES']) {
          await query(
            `ALTER DEFAULT PRIVILEGES FOR ROLE ${rw} IN SCHEMA public GRANT SELECT ON ${objects} TO ${ro}`,
          );
        }
      },
      { database: names.database, signal },
    );
  }

  /**
   * Sets the login role's password. Only the SCRAM verifier is sent (see
   * `scramSha256Verifier`); errors never carry it.
   */
  async setPassword(options: {
    role: string;
    requestId: string;
    verifier: string;
    signal?: AbortSignal;
  }): Promise<void> {
    await this.session(
      async query => {
        await this.assertOwnRole(query, options.role, options.requestId);
        await query(
          `ALTER ROLE ${ident(options.role)} WITH PASSWORD ${literal(
            options.verifier,
          )}`,
        ).catch(error => {
          throw new Error(
            `Could not set the password of role '${options.role}' on target '${
              this.target.id
            }' (SQLSTATE ${String(codeOf(error))})`,
          );
        });
      },
      { signal: options.signal },
    );
  }

  async setConnectionLimit(options: {
    role: string;
    requestId: string;
    connectionLimit: number;
    signal?: AbortSignal;
  }): Promise<void> {
    await this.session(
      async query => {
        await this.assertOwnRole(query, options.role, options.requestId);
        await query(
          `ALTER ROLE ${ident(options.role)} WITH CONNECTION LIMIT ${limitSql(
            options.connectionLimit,
          )}`,
        );
      },
      { signal: options.signal },
    );
  }

  /**
   * Creates, or converges, a login role that reads one database: a member (INHERIT)
   * of the database's read-only role, with a connection limit and nothing else.
   * Refuses (NonRetryableError) when the read-only role is gone or the login role's
   * name belongs to something else.
   */
  async provisionReadAccess(options: {
    role: string;
    readOnlyRole: string;
    requestId: string;
    connectionLimit: number;
    signal?: AbortSignal;
  }): Promise<void> {
    const { role, readOnlyRole, requestId, connectionLimit, signal } = options;
    const limit = limitSql(connectionLimit);
    await this.session(
      async query => {
        if ((await readRoles(query, [readOnlyRole])).length === 0) {
          throw new NonRetryableError(
            `Role '${readOnlyRole}' does not exist on target '${this.target.id}': the database was deleted, or its roles were dropped outside Paved`,
          );
        }
        await this.ensureRole(
          query,
          role,
          liveMarker(requestId),
          `LOGIN ${LEAST_PRIVILEGE} CONNECTION LIMIT ${limit}`,
        );
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
   * Drops a login role made by {@link PostgresAdmin.provisionReadAccess}: it stops
   * accepting logins, its sessions end, then it goes. It owns nothing, having no
   * privilege to create anything. A role that is gone, or is not this request's, is
   * left alone.
   */
  async dropReadAccess(options: {
    role: string;
    requestId: string;
    signal?: AbortSignal;
  }): Promise<'dropped' | 'absent' | 'not-ours'> {
    const { role, requestId, signal } = options;
    return this.session(
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

  /**
   * Makes a request's database unreachable and marks it deleted, to be dropped by
   * {@link PostgresAdmin.purge} after the retention: the login role loses LOGIN and its
   * password, the database refuses connections, open sessions end. Roles without a
   * database (provisioning stopped before it) are dropped at once. Whatever is gone
   * already, or belongs to something else, is left alone.
   */
  async retire(options: {
    names: PostgresNames;
    requestId: string;
    deletedAt: string;
    signal?: AbortSignal;
  }): Promise<{ database: 'retired' | 'absent' }> {
    const { names, requestId, deletedAt, signal } = options;
    return this.session(
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

  /** The databases of live (not deleted) requests on this target. */
  async listLiveDatabases(): Promise<
    Array<{ database: string; requestId: string }>
  > {
    return this.session(async query => {
      const rows = await query<{ datname: string; comment: string }>(
        `SELECT d.datname, shobj_description(d.oid, 'pg_database') AS comment
           FROM pg_database d
          WHERE shobj_description(d.oid, 'pg_database') LIKE 'paved:request:%'
          ORDER BY d.datname`,
      );
      return rows.map(row => ({
        database: row.datname,
        requestId: row.comment.slice('paved:request:'.length),
      }));
    });
  }

  /**
   * Drops the databases marked deleted before `olderThan`, and their roles.
   * Returns the names of the databases dropped.
   */
  async purge(options: {
    olderThan: Date;
    onError?: (database: string, error: unknown) => void;
  }): Promise<string[]> {
    return this.session(async query => {
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
              version >= 130000 ? ' WITH (FORCE)' : ''
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

  private async assertAvailable(
    query: Query,
    names: PostgresNames,
    requestId: string,
  ): Promise<void> {
    const where = `on target '${this.target.id}'`;
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

  private async assertOwnRole(
    query: Query,
    role: string,
    requestId: string,
  ): Promise<void> {
    const [row] = await readRoles(query, [role]);
    if (!row || row.comment !== liveMarker(requestId)) {
      throw new NonRetryableError(
        row
          ? `Role '${role}' on target '${this.target.id}' was not made by this request`
          : `Role '${role}' does not exist on target '${this.target.id}' (was it dropped outside Paved?)`,
      );
    }
  }

  /** Creates a role with its marker in one transaction, or checks the one there. */
  private async ensureRole(
    query: Query,
    role: string,
    marker: string,
    attributes: string,
  ): Promise<void> {
    if ((await readRoles(query, [role])).length === 0) {
      await query('BEGIN');
      try {
        await query(`CREATE ROLE ${ident(role)} WITH ${attributes}`);
        await query(`COMMENT ON ROLE ${ident(role)} IS ${literal(marker)}`);
        await query('COMMIT');
      } catch (error) {
        await query('ROLLBACK').catch(() => {});
        // Made meanwhile by someone else: checked below.
        if (codeOf(error) !== '42710') {
          throw error;
        }
      }
    }
    const [row] = await readRoles(query, [role]);
    if (!row || row.comment !== marker) {
      throw new NonRetryableError(
        `Role '${role}' already exists on target '${this.target.id}' and was not made by this request; choose another name`,
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

  /**
   * An admin that is not a superuser (a managed service's master user) needs
   * membership in the login role to create a database it owns and to grant in it.
   */
  private async joinIfNotSuperuser(query: Query, role: string): Promise<void> {
    const [me] = await query<{ rolsuper: boolean; member: boolean }>(
      `SELECT rolsuper, pg_has_role(current_user, $1, 'MEMBER') AS member
         FROM pg_roles WHERE rolname = current_user`,
      [role],
    );
    if (!me.rolsuper && !me.member) {
      await query(`GRANT ${ident(role)} TO CURRENT_USER`);
    }
  }
}

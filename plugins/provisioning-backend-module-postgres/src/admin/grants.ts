import { escapeIdentifier as ident } from 'pg';
import { PostgresNames } from '../names';
import { Query } from '../pgCatalog';

/*
 * The privileges of a request's database: PUBLIC gets none, the login role owns and
 * writes, the read-only role reads whatever the login role creates.
 */

/** On the database itself; run in a session on the admin database. */
export async function grantDatabaseAccess(
  query: Query,
  names: PostgresNames,
): Promise<void> {
  const db = ident(names.database);
  await query(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`);
  await query(
    `GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${ident(
      names.readWriteRole,
    )}`,
  );
  await query(
    `GRANT CONNECT ON DATABASE ${db} TO ${ident(names.readOnlyRole)}`,
  );
}

/** On its `public` schema, now and by default; run in a session on the database. */
export async function grantSchemaAccess(
  query: Query,
  names: PostgresNames,
): Promise<void> {
  const rw = ident(names.readWriteRole);
  const ro = ident(names.readOnlyRole);
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
}

import { AdminSessions } from './AdminSessions';

/** The databases of live (not deleted) requests on the target. */
export async function listLiveDatabases(
  admin: AdminSessions,
): Promise<Array<{ database: string; requestId: string }>> {
  return admin.session(async query => {
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

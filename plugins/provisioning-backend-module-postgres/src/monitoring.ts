import { ResourceStatusSection } from '@paved/plugin-provisioning-common';
import { StatusContext } from '@paved/plugin-provisioning-node';
import { postgresNames } from './names';
import { PostgresAdmin } from './PostgresAdmin';

/** What the target's statistics views say about one database, right now. */
export interface DatabaseFigures {
  sizeBytes: number;
  connections: number;
  connectionLimit: number;
  commits: number;
  rollbacks: number;
  /** Share of block reads served from the buffer cache; undefined before any read. */
  cacheHitRatio?: number;
  /** Seconds the longest running statement has been running; 0 when none runs. */
  longestQuerySeconds: number;
}

/** Reads the figures of `database` (and its login role's limit) as the target's admin. */
async function readDatabaseFigures(
  admin: PostgresAdmin,
  database: string,
  role: string,
  signal?: AbortSignal,
): Promise<DatabaseFigures | undefined> {
  return admin.session(
    async query => {
      const [row] = await query<{
        size: string;
        connections: string;
        limit: number | null;
        commits: string;
        rollbacks: string;
        hits: string;
        reads: string;
        longest: number | null;
      }>(
        `SELECT pg_database_size(d.datname) AS size,
                (SELECT count(*) FROM pg_stat_activity a WHERE a.datname = d.datname) AS connections,
                (SELECT rolconnlimit FROM pg_roles WHERE rolname = $2) AS "limit",
                s.xact_commit AS commits, s.xact_rollback AS rollbacks,
                s.blks_hit AS hits, s.blks_read AS reads,
                (SELECT extract(epoch FROM max(now() - a.query_start))::float8
                   FROM pg_stat_activity a
                  WHERE a.datname = d.datname AND a.state = 'active'
                    AND a.pid <> pg_backend_pid()) AS longest
           FROM pg_database d
           LEFT JOIN pg_stat_database s ON s.datid = d.oid
          WHERE d.datname = $1`,
        [database, role],
      );
      if (!row) {
        return undefined;
      }
      const hits = Number(row.hits ?? 0);
      const reads = Number(row.reads ?? 0);
      return {
        sizeBytes: Number(row.size),
        connections: Number(row.connections),
        connectionLimit: row.limit ?? -1,
        commits: Number(row.commits ?? 0),
        rollbacks: Number(row.rollbacks ?? 0),
        cacheHitRatio: hits + reads > 0 ? hits / (hits + reads) : undefined,
        longestQuerySeconds: Math.max(0, row.longest ?? 0),
      };
    },
    { signal },
  );
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

/** The "Database" section of a postgres request's live status. */
export async function monitoringStatus(
  admins: Map<string, PostgresAdmin>,
  ctx: StatusContext<any>,
): Promise<ResourceStatusSection> {
  const title = 'Database';
  const target = ctx.outputs.target;
  const admin = typeof target === 'string' ? admins.get(target) : undefined;
  if (!admin) {
    return { title, message: 'Its target server is not configured any more.' };
  }
  const names = postgresNames(ctx.request.name);
  const figures = await readDatabaseFigures(
    admin,
    names.database,
    names.readWriteRole,
    ctx.signal,
  );
  if (!figures) {
    return { title, message: `Database '${names.database}' does not exist.` };
  }
  const limit =
    figures.connectionLimit < 0 ? 'no limit' : String(figures.connectionLimit);
  return {
    title,
    items: [
      { label: 'Size', value: megabytes(figures.sizeBytes) },
      { label: 'Connections', value: `${figures.connections} of ${limit}` },
      { label: 'Commits', value: figures.commits },
      { label: 'Rollbacks', value: figures.rollbacks },
      {
        label: 'Cache hit ratio',
        value:
          figures.cacheHitRatio === undefined
            ? 'no reads yet'
            : `${(figures.cacheHitRatio * 100).toFixed(1)} %`,
      },
      {
        label: 'Longest running query',
        value:
          figures.longestQuerySeconds > 0
            ? `${figures.longestQuerySeconds.toFixed(1)} s`
            : 'none running',
      },
    ],
  };
}

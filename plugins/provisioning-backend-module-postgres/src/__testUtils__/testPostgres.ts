import { TestDatabaseId } from '@backstage/backend-test-utils';
import { testDatabaseIds } from '@paved/test-utils';
import { Client, ClientConfig } from 'pg';

/** The superuser of the test run's PostgreSQL server, which tests provision on. */
export interface TestPostgres {
  /** For TestDatabases, e.g. POSTGRES_15. */
  databaseId: TestDatabaseId;
  host: string;
  port: number;
  user: string;
  password: string;
}

/**
 * The PostgreSQL server `./paved test` exported as
 * BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING. Throws (the test fails,
 * never skips) when there is none.
 */
export function requireTestPostgres(
  env: NodeJS.ProcessEnv = process.env,
): TestPostgres {
  const databaseId = testDatabaseIds(env).find(id =>
    id.startsWith('POSTGRES_'),
  );
  const major = databaseId?.replace('POSTGRES_', '');
  const connection =
    env[`BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING`];
  if (!databaseId || !connection) {
    throw new Error(
      'This test provisions databases on a real PostgreSQL server, but no BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING is set; run it with ./paved test, or start one with pg_up (scripts/lib/postgres.sh) and export the variable as scripts/test.sh does',
    );
  }
  const url = new URL(connection);
  return {
    databaseId,
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  };
}

/** Connects, runs `fn`, disconnects. */
export async function withClient<T>(
  config: ClientConfig | string,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client(
    typeof config === 'string' ? { connectionString: config } : config,
  );
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** The SQLSTATE a promise fails with, or 'ok'. */
export async function sqlState(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return String(
      (error as { code?: unknown }).code ?? (error as Error).message,
    );
  }
}

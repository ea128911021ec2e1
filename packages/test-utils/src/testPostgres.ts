import { TestDatabaseId } from '@backstage/backend-test-utils';
import { testDatabaseIds } from './testDatabaseIds';

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

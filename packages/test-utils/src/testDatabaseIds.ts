import { TestDatabaseId } from '@backstage/backend-test-utils';

const POSTGRES_VARIABLE =
  /^BACKSTAGE_TEST_DATABASE_POSTGRES(\d+)_CONNECTION_STRING$/;

/**
 * The databases a test run should cover: SQLite always, and every Postgres whose
 * connection string `./paved test` (or you) exported as
 * `BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING`.
 *
 * Backstage's TestDatabases would otherwise start Postgres through Docker, which is
 * not available everywhere. Under `./paved test` (PAVED_REQUIRE_POSTGRES=1) a missing
 * Postgres is an error, so a database test can never pass by skipping Postgres.
 */
export function testDatabaseIds(
  env: NodeJS.ProcessEnv = process.env,
): TestDatabaseId[] {
  const postgres = Object.entries(env)
    .filter(([, value]) => Boolean(value))
    .map(([name]) => POSTGRES_VARIABLE.exec(name)?.[1])
    .filter((major): major is string => major !== undefined)
    .sort((a, b) => Number(a) - Number(b))
    .map(major => `POSTGRES_${major}` as TestDatabaseId);
  if (postgres.length === 0 && env.PAVED_REQUIRE_POSTGRES === '1') {
    throw new Error(
      'PAVED_REQUIRE_POSTGRES=1 but no BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING is set; run the tests with ./paved test',
    );
  }
  return [...postgres, 'SQLITE_3'];
}

import { testDatabaseIds } from './testDatabaseIds';

describe('testDatabaseIds', () => {
  it('adds every Postgres with a connection string to SQLite', () => {
    expect(
      testDatabaseIds({
        BACKSTAGE_TEST_DATABASE_POSTGRES17_CONNECTION_STRING: 'postgresql://a',
        BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING: 'postgresql://b',
      }),
    ).toEqual(['POSTGRES_15', 'POSTGRES_17', 'SQLITE_3']);
  });

  it('ignores empty connection strings', () => {
    expect(
      testDatabaseIds({
        BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING: '',
      }),
    ).toEqual(['SQLITE_3']);
  });

  it('refuses to run without Postgres when Postgres is required', () => {
    expect(() => testDatabaseIds({ PAVED_REQUIRE_POSTGRES: '1' })).toThrow(
      /no BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING/,
    );
  });
});

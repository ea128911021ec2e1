import { requireTestPostgres } from './testPostgres';

describe('requireTestPostgres', () => {
  it('gives the superuser of the server the test run exported, with its database id', () => {
    expect(
      requireTestPostgres({
        BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:
          'postgresql://postgres:p%40ss@127.0.0.1:54321',
      }),
    ).toEqual({
      databaseId: 'POSTGRES_15',
      host: '127.0.0.1',
      port: 54321,
      user: 'postgres',
      password: 'p@ss',
    });
  });

  it('fails, never skips, without a server', () => {
    expect(() => requireTestPostgres({})).toThrow(
      /provisions databases on a real PostgreSQL server, but no BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING is set/,
    );
  });
});

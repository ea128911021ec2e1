import { postgresNames, readAccessNames, validateDatabaseName } from './names';

describe('postgres names', () => {
  it('maps a request name to its database, roles and Secret', () => {
    expect(postgresNames('orders-db')).toEqual({
      database: 'orders_db',
      readWriteRole: 'orders_db_rw',
      readOnlyRole: 'orders_db_ro',
      secretName: 'orders-db-postgres',
    });
  });

  it('names a read access grant after the database and the grant, within 63 bytes', () => {
    expect(readAccessNames('orders-db', 'reports')).toEqual({
      role: 'orders_db_ro_reports',
      secretName: 'reports-postgres-ro',
    });
    const long = readAccessNames(`a${'b'.repeat(59)}`, 'reports');
    expect(long.role).toHaveLength(63);
    // Cut to 54 characters and made unique by a hash of the whole name.
    expect(long.role).toMatch(/^ab{53}_[0-9a-f]{8}$/);
    // Distinct grants of one long database get distinct roles.
    expect(readAccessNames(`a${'b'.repeat(59)}`, 'other').role).not.toBe(
      long.role,
    );
  });

  it('accepts names that fit, the longest included', () => {
    expect(validateDatabaseName('orders-db')).toBeUndefined();
    expect(validateDatabaseName(`a${'b'.repeat(59)}`)).toBeUndefined();
    expect(postgresNames(`a${'b'.repeat(59)}`).readWriteRole).toHaveLength(63);
  });

  it.each([
    ['x"; DROP DATABASE postgres; --', 'must start with a letter'],
    ['bäse', 'must start with a letter'],
    ['pg_x', 'must start with a letter'],
    ['Orders', 'must start with a letter'],
    ['1orders', 'must start with a letter'],
    ['orders-', 'must start with a letter'],
    ['', 'must start with a letter'],
    [`a${'b'.repeat(60)}`, 'must be at most 60 characters'],
    ['postgres', "'postgres' is reserved"],
    ['template0', "'template0' is reserved"],
    ['template1', "'template1' is reserved"],
    ['pg-stat', "'pg-stat' is reserved"],
  ])('refuses %p', (name, problem) => {
    expect(validateDatabaseName(name)).toContain(problem);
  });
});

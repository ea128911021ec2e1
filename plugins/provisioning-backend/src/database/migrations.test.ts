import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { testDatabaseIds } from '@paved/test-utils';
import { resolve } from 'node:path';
import { migrateDatabase } from '@paved/backend-plugin-utils';

const databases = TestDatabases.create({ ids: testDatabaseIds() });

describe.each(databases.eachSupportedId())('migrations on %p', id => {
  it('migrate up and down cleanly', async () => {
    const knex = await databases.init(id);
    await migrateDatabase(
      mockServices.database({ knex }),
      '@paved/plugin-provisioning-backend',
    );
    const tables = [
      'provisioning_requests',
      'provisioning_operations',
      'provisioning_events',
      'provisioning_checkpoints',
    ];
    for (const table of tables) {
      expect(await knex.schema.hasTable(table)).toBe(true);
    }
    expect(
      await knex.schema.hasColumn(
        'provisioning_operations',
        'lease_expires_at',
      ),
    ).toBe(true);

    await knex.migrate.rollback(
      { directory: resolve(__dirname, '../../migrations') },
      true,
    );
    for (const table of tables) {
      expect(await knex.schema.hasTable(table)).toBe(false);
    }
  });

  it('are skipped when the database service says so', async () => {
    const knex = await databases.init(id);
    await migrateDatabase(
      mockServices.database({ knex, migrations: { skip: true } }),
      '@paved/plugin-provisioning-backend',
    );
    expect(await knex.schema.hasTable('provisioning_requests')).toBe(false);
  });
});

import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { testDatabaseIds } from '@paved/test-utils';
import { migrateDatabase } from './migrateDatabase';

const databases = TestDatabases.create({ ids: testDatabaseIds() });

// A real package's migrations: Backstage's app backend ships a small `migrations/`.
const PACKAGE = '@backstage/plugin-app-backend';

describe.each(databases.eachSupportedId())('migrateDatabase on %p', id => {
  it("runs the package's migrations and returns the client", async () => {
    const knex = await databases.init(id);
    const migrated = await migrateDatabase(
      mockServices.database({ knex }),
      PACKAGE,
    );
    expect(migrated).toBe(knex);
    expect(await knex.schema.hasTable('static_assets_cache')).toBe(true);
  });

  it('migrates nothing when the database service says migrations are skipped', async () => {
    const knex = await databases.init(id);
    await migrateDatabase(
      mockServices.database({ knex, migrations: { skip: true } }),
      PACKAGE,
    );
    expect(await knex.schema.hasTable('static_assets_cache')).toBe(false);
  });
});

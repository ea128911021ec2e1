import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/**
 * A plugin's database, migrated to the latest schema with the migrations of its
 * package (`<package>/migrations`), unless the database service says migrations are
 * skipped (another process migrates, e.g. in a deployment with many replicas).
 *
 * @param packageName - the backend plugin's package, e.g. `@paved/plugin-incidents-backend`
 * @param options - `tableName`: the table that records the migrations run, for a
 *   module whose tables live in its plugin's database beside the plugin's own
 *   migrations (knex's default, `knex_migrations`, would mix the two lists)
 * @public
 */
export async function migrateDatabase(
  database: DatabaseService,
  packageName: string,
  options: { tableName?: string } = {},
): Promise<Knex> {
  const knex = await database.getClient();
  if (!database.migrations?.skip) {
    await knex.migrate.latest({
      directory: resolvePackagePath(packageName, 'migrations'),
      ...(options.tableName ? { tableName: options.tableName } : {}),
    });
  }
  return knex;
}

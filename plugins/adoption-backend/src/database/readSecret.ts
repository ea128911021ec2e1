import { randomBytes } from 'node:crypto';
import { Knex } from 'knex';

const KEY = 'pseudonymization-secret';

/**
 * The pseudonymization secret kept in the plugin's database: generated on the
 * first start; every replica then reads the same one.
 */
export async function readStoredSecret(knex: Knex): Promise<string> {
  await knex('adoption_settings')
    .insert({ key: KEY, value: randomBytes(32).toString('hex') })
    .onConflict('key')
    .ignore();
  const row = await knex('adoption_settings').where({ key: KEY }).first();
  return String(row.value);
}

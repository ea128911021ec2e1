// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // One counter, raised in the same transaction as every write or removal of stored
  // facts and levels. Readers that derive something expensive from all of them (the
  // organization maturity) keep it until the revision moves; being in the database,
  // a write by any replica is seen by every other one.
  await knex.schema.createTable('scorecard_revision', table => {
    table.integer('id').primary();
    table.bigInteger('revision').notNullable();
  });
  await knex('scorecard_revision').insert({ id: 1, revision: 0 });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('scorecard_revision');
};

// @ts-check

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // The facts behind the last evaluation of each entity: what impact previews and
  // organization maturity are computed from, and the etag that tells what changed.
  await knex.schema.createTable('scorecard_entities', table => {
    table.string('entity_ref', 255).primary();
    table.string('kind', 64).notNullable();
    table.string('owner', 255).nullable().index();
    table.string('etag', 255).nullable();
    table.text('facts').notNullable();
    table.string('facts_hash', 64).notNullable();
    table.timestamp('evaluated_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('scorecard_levels', table => {
    table.string('entity_ref', 255).notNullable();
    table.string('track_id', 100).notNullable();
    table.integer('level').notNullable();
    table.string('owner', 255).nullable();
    table.string('checks_hash', 64).notNullable();
    table.timestamp('evaluated_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'track_id']);
    table.index(['track_id', 'level']);
    table.index(['owner']);
  });
  // Pass/fail per entity and check; the reasons are derived from the stored facts
  // when read, which keeps full evaluations to a few narrow rows per entity.
  await knex.schema.createTable('scorecard_results', table => {
    table.string('entity_ref', 255).notNullable();
    table.string('track_id', 100).notNullable();
    table.string('check_id', 100).notNullable();
    table.boolean('passed').notNullable();
    table.primary(['entity_ref', 'track_id', 'check_id']);
  });
  // One row per entity and evaluation in which its level or any check changed.
  await knex.schema.createTable('scorecard_history', table => {
    table.bigIncrements('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('track_id', 100).notNullable();
    table.integer('level').notNullable();
    table.text('failing').notNullable();
    table.timestamp('recorded_at', { useTz: true }).notNullable();
    table.index(['entity_ref', 'track_id', 'recorded_at']);
  });
  // The level distribution once a day (the last evaluation of the day wins).
  await knex.schema.createTable('scorecard_daily_levels', table => {
    table.string('day', 10).notNullable();
    table.string('track_id', 100).notNullable();
    table.integer('level').notNullable();
    table.integer('count').notNullable();
    table.primary(['day', 'track_id', 'level']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('scorecard_daily_levels');
  await knex.schema.dropTable('scorecard_history');
  await knex.schema.dropTable('scorecard_results');
  await knex.schema.dropTable('scorecard_levels');
  await knex.schema.dropTable('scorecard_entities');
};

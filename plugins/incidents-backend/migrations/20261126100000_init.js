// @ts-check

/**
 * Incidents on catalog entities and their timelines.
 *
 * Times are epoch milliseconds in bigint columns, so time to restore and the
 * statistics compute the same way on Postgres and SQLite.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('incidents', table => {
    table.string('id', 36).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('owner', 255).notNullable();
    table.string('severity', 8).notNullable();
    table.string('status', 32).notNullable();
    table.string('summary', 200).notNullable();
    table.text('description').nullable();
    table.string('opened_by', 255).notNullable();
    table.bigInteger('opened_at').notNullable();
    table.string('resolved_by', 255).nullable();
    table.bigInteger('resolved_at').nullable();
    table.text('cause').nullable();
    table.text('resolution').nullable();
    table.bigInteger('time_to_restore_ms').nullable();

    table.index(['entity_ref', 'opened_at'], 'incidents_entity_idx');
    table.index(['owner', 'opened_at'], 'incidents_owner_idx');
    table.index(['status'], 'incidents_status_idx');
  });

  await knex.schema.createTable('incident_events', table => {
    table.increments('id').primary();
    table
      .string('incident_id', 36)
      .notNullable()
      .references('id')
      .inTable('incidents')
      .onDelete('CASCADE');
    table.string('type', 32).notNullable();
    table.text('message').notNullable();
    table.string('actor', 255).nullable();
    table.bigInteger('at').notNullable();

    table.index(['incident_id', 'at'], 'incident_events_incident_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('incident_events');
  await knex.schema.dropTable('incidents');
};

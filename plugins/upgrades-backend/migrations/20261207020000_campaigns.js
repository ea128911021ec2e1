// @ts-check

/**
 * Campaigns: a platform team's drive to move every service of a template to a
 * version by a deadline. The services it found (a target found once stays, so that
 * merged services still count), its progress snapshots for the chart, and the
 * reminders sent (one of each kind per service, never twice). Times are epoch
 * milliseconds so that they compare the same in Postgres and SQLite; the deadline
 * is a calendar date (YYYY-MM-DD), which sorts as text.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('upgrade_campaigns', table => {
    table.string('id', 36).primary();
    table.string('title', 200).notNullable();
    table.text('description').nullable();
    table.string('template_ref', 255).notNullable();
    table.string('from_range', 255).notNullable();
    table.string('to_version', 100).notNullable();
    table.string('deadline', 10).notNullable();
    table.string('created_by', 255).notNullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('last_run_at').nullable();
  });

  await knex.schema.createTable('upgrade_campaign_targets', table => {
    table
      .string('campaign_id', 36)
      .notNullable()
      .references('id')
      .inTable('upgrade_campaigns')
      .onDelete('CASCADE');
    table.string('entity_ref', 255).notNullable();
    table.string('owner', 255).nullable();
    table.string('from_version', 100).notNullable();
    // the change a run opened or found for it, also when another campaign (or its
    // owner) had opened it first
    table.string('change_id', 36).nullable();
    // why no change could be opened (no repository, no lineage...); retried
    table.text('problem').nullable();
    table.bigInteger('updated_at').notNullable();
    table.primary(['campaign_id', 'entity_ref']);
  });

  await knex.schema.createTable('upgrade_campaign_snapshots', table => {
    table.bigIncrements('id').primary();
    table
      .string('campaign_id', 36)
      .notNullable()
      .references('id')
      .inTable('upgrade_campaigns')
      .onDelete('CASCADE');
    table.bigInteger('at').notNullable();
    // CampaignCounts as JSON
    table.text('counts').notNullable();
    table.index(['campaign_id', 'at'], 'upgrade_campaign_snapshots_idx');
  });

  await knex.schema.createTable('upgrade_campaign_reminders', table => {
    table
      .string('campaign_id', 36)
      .notNullable()
      .references('id')
      .inTable('upgrade_campaigns')
      .onDelete('CASCADE');
    table.string('entity_ref', 255).notNullable();
    // 'week', 'day' or 'overdue'
    table.string('kind', 20).notNullable();
    table.bigInteger('sent_at').notNullable();
    table.primary(['campaign_id', 'entity_ref', 'kind']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of [
    'upgrade_campaign_reminders',
    'upgrade_campaign_snapshots',
    'upgrade_campaign_targets',
    'upgrade_campaigns',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
};

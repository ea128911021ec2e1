// @ts-check

/**
 * Template upgrade change requests. Times are milliseconds since the epoch (bigint)
 * so that they compare the same way in Postgres and SQLite. `active_key` is
 * `<entityRef>@<toVersion>` while a change is proposing, open or conflicted and null
 * once it is merged or closed: its unique index is what keeps one active change per
 * service and version, even when two proposals race.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('upgrade_changes', table => {
    table.string('id', 36).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('target', 10).notNullable();
    table.string('repository', 500).notNullable();
    table.string('template_ref', 255).notNullable();
    table.string('from_version', 100).notNullable();
    table.string('to_version', 100).notNullable();
    table.string('branch', 255).notNullable();
    table.string('state', 20).notNullable();
    table.string('title', 500).notNullable();
    table.string('url', 1000).nullable();
    // JSON: FileChange[] and the conflicted paths
    table.text('files').notNullable();
    table.text('conflicts').notNullable();
    table.string('campaign_id', 36).nullable();
    table.string('base_commit', 64).nullable();
    table.string('head_commit', 64).nullable();
    table.string('merge_commit', 64).nullable();
    table.string('created_by', 255).notNullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.bigInteger('merged_at').nullable();
    table.bigInteger('closed_at').nullable();
    table.string('active_key', 400).nullable();
    table.unique(['active_key'], {
      indexName: 'upgrade_changes_active_key_uq',
    });
    table.index(['entity_ref', 'created_at'], 'upgrade_changes_entity_idx');
    table.index(['campaign_id'], 'upgrade_changes_campaign_idx');
  });

  // Both sides (and the base) of each conflicted file, for the diff view: the branch
  // only holds the file with conflict markers. Capped by the store.
  await knex.schema.createTable('upgrade_change_conflicts', table => {
    table
      .string('change_id', 36)
      .notNullable()
      .references('id')
      .inTable('upgrade_changes')
      .onDelete('CASCADE');
    table.string('path', 1000).notNullable();
    table.text('base').nullable();
    table.text('ours').nullable();
    table.text('theirs').nullable();
    table.primary(['change_id', 'path']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('upgrade_change_conflicts');
  await knex.schema.dropTable('upgrade_changes');
};

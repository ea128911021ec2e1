// @ts-check

/**
 * Raw analytics and usage events, their daily and weekly rollups, the per-day active
 * users, scaffolder runs, the NPS survey and the plugin's settings. Days are whole
 * UTC days since 1970-01-01 (integers) so that date arithmetic is the same in Postgres
 * and SQLite.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('adoption_settings', table => {
    table.string('key', 100).primary();
    table.text('value').notNullable();
  });

  await knex.schema.createTable('adoption_batches', table => {
    table.string('batch_id', 36).primary();
    table.timestamp('received_at', { useTz: true }).notNullable();
    table.integer('event_count').notNullable();
  });

  await knex.schema.createTable('adoption_events', table => {
    table.bigIncrements('id').primary();
    table.timestamp('occurred_at', { useTz: true }).notNullable();
    table.integer('day').notNullable();
    table.string('source', 10).notNullable();
    table.string('user_ref', 255).nullable();
    table.string('plugin_id', 100).notNullable();
    table.string('action', 100).notNullable();
    table.string('subject', 1000).nullable();
    table.string('route', 255).nullable();
    table.string('entity_ref', 255).nullable();
    table.string('team', 255).nullable();
    table.double('value').nullable();
    table.string('outcome', 20).nullable();
    table.integer('duration_ms').nullable();
    table.text('attributes').nullable();
    table.index(['day'], 'adoption_events_day_idx');
    table.index(['user_ref', 'day'], 'adoption_events_user_day_idx');
    table.index(['team', 'day'], 'adoption_events_team_day_idx');
  });

  const rollupKeys = (
    /** @type {import('knex').Knex.CreateTableBuilder} */ t,
  ) => {
    // what the row counts: 'plugin', 'action', 'route' (page views), 'search'
    // (terms) or 'docs' (TechDocs page views per entity)
    t.string('grain', 10).notNullable();
    t.string('plugin_id', 100).notNullable();
    t.string('action', 100).notNullable();
    // '' when absent, so that the keys can be a primary key
    t.string('route', 255).notNullable();
    t.string('subject', 1000).notNullable();
    t.string('entity_ref', 255).notNullable();
    t.integer('events').notNullable();
    t.integer('users').notNullable();
    t.integer('zero_results').notNullable();
  };
  await knex.schema.createTable('adoption_rollup_daily', table => {
    table.integer('day').notNullable();
    rollupKeys(table);
    table.index(['grain', 'day'], 'adoption_rollup_daily_grain_idx');
  });
  await knex.schema.createTable('adoption_rollup_weekly', table => {
    table.integer('week').notNullable();
    rollupKeys(table);
    table.index(['grain', 'week'], 'adoption_rollup_weekly_grain_idx');
  });

  await knex.schema.createTable('adoption_active_users_daily', table => {
    table.integer('day').notNullable();
    table.string('user_ref', 255).notNullable();
    table.primary(['day', 'user_ref']);
    table.index(['user_ref', 'day'], 'adoption_active_users_user_idx');
  });

  // DAU, WAU and MAU of each day, exact COUNT(DISTINCT) over the table above,
  // recomputed for the days a refresh can have changed
  await knex.schema.createTable('adoption_active_users_windows', table => {
    table.integer('day').primary();
    table.integer('dau').notNullable();
    table.integer('wau').notNullable();
    table.integer('mau').notNullable();
  });

  await knex.schema.createTable('adoption_rollup_state', table => {
    table.string('name', 50).primary();
    table.bigInteger('last_event_id').notNullable();
  });

  await knex.schema.createTable('adoption_scaffolder_runs', table => {
    table.string('task_id', 255).primary();
    table.string('template_ref', 255).notNullable();
    table.string('outcome', 20).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.integer('day').notNullable();
    table.bigInteger('duration_ms').nullable();
    table.string('created_by', 255).nullable();
    table.string('team', 255).nullable();
    table.index(['day'], 'adoption_scaffolder_runs_day_idx');
  });

  await knex.schema.createTable('adoption_survey', table => {
    table.bigIncrements('id').primary();
    table.string('user_ref', 255).notNullable();
    table.string('kind', 10).notNullable();
    table.integer('score').nullable();
    table.text('comment').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.integer('day').notNullable();
    table.index(['user_ref', 'created_at'], 'adoption_survey_user_idx');
    table.index(['kind', 'day'], 'adoption_survey_kind_day_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of [
    'adoption_survey',
    'adoption_scaffolder_runs',
    'adoption_rollup_state',
    'adoption_active_users_windows',
    'adoption_active_users_daily',
    'adoption_rollup_weekly',
    'adoption_rollup_daily',
    'adoption_events',
    'adoption_batches',
    'adoption_settings',
  ]) {
    await knex.schema.dropTable(table);
  }
};

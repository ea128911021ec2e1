// @ts-check

/**
 * The deployment records of the workload type: one row per rollout of a Score
 * workload into an environment (deploy, promotion or rollback).
 *
 * They live in the provisioning plugin's database, beside the engine's tables, with
 * their own migrations table (`score_knex_migrations`). Times are epoch
 * milliseconds in bigint columns so that the delivery figures compute the same way
 * on Postgres and SQLite. `spec` is the Score workload as deployed, placeholders
 * unresolved: it never holds a secret.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('workload_deployments', table => {
    table.string('id', 36).primary();
    // The provisioning operation that rolled it out: a resumed step finds its record.
    table.string('operation_id', 36).nullable().unique({
      indexName: 'workload_deployments_operation_id_unique',
    });
    table.string('request_id', 36).nullable();
    table.string('component', 255).notNullable();
    table.string('owner', 255).notNullable();
    table.string('environment', 63).notNullable();
    table.string('stage', 16).notNullable();
    table.string('workload', 63).notNullable();
    table.string('kind', 16).notNullable();
    table.string('status', 16).notNullable();
    table.string('image', 512).notNullable();
    table.string('git_ref', 255).nullable();
    table.bigInteger('commit_time').nullable();
    table.string('rollback_of', 36).nullable();
    table.string('promoted_from', 36).nullable();
    table.text('reason').nullable();
    table.text('spec').notNullable();
    table.string('created_by', 255).notNullable();
    table.bigInteger('started_at').notNullable();
    table.bigInteger('finished_at').nullable();

    table.index(
      ['component', 'started_at'],
      'workload_deployments_component_idx',
    );
    table.index(['owner', 'started_at'], 'workload_deployments_owner_idx');
    table.index(
      ['environment', 'started_at'],
      'workload_deployments_environment_idx',
    );
    table.index(
      ['request_id', 'started_at'],
      'workload_deployments_request_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('workload_deployments');
};

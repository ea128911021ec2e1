// @ts-check

/**
 * Requests, their operations (the durable work queue, with leases), their timeline,
 * and the checkpoints of running steps.
 *
 * Times are epoch milliseconds in bigint columns: the worker compares them across
 * processes, and numbers compare the same way on Postgres and SQLite.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('provisioning_requests', table => {
    table.string('id', 36).primary();
    table.string('type', 100).notNullable();
    table.string('name', 63).notNullable();
    table.string('owner', 255).notNullable();
    // The name while the request is active, NULL once rejected or deleted: unique
    // indexes treat NULLs as distinct, so a freed name can be requested again.
    table.string('active_name', 63).nullable();
    table.text('parameters').notNullable();
    table.text('outputs').notNullable();
    table.string('state', 32).notNullable();
    table.integer('quota_cost').notNullable();
    table.string('created_by', 255).notNullable();
    table.string('approval_group', 255).nullable();
    table.text('approval_reason').nullable();
    table.string('decision', 16).nullable();
    table.string('decided_by', 255).nullable();
    table.text('decision_comment').nullable();
    table.bigInteger('decided_at').nullable();
    table.text('last_error').nullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();

    table.unique(['type', 'owner', 'active_name'], {
      indexName: 'provisioning_requests_active_name_uniq',
    });
    table.index(['owner', 'type'], 'provisioning_requests_owner_type_idx');
    table.index(['state'], 'provisioning_requests_state_idx');
  });

  await knex.schema.createTable('provisioning_operations', table => {
    table.string('id', 36).primary();
    table
      .string('request_id', 36)
      .notNullable()
      .references('id')
      .inTable('provisioning_requests')
      .onDelete('CASCADE');
    // The request id while queued or running, NULL once finished: at most one
    // unfinished operation per request.
    table.string('active_request_id', 36).nullable().unique({
      indexName: 'provisioning_operations_active_uniq',
    });
    table.string('kind', 16).notNullable();
    table.string('action', 100).nullable();
    table.text('input').notNullable();
    table.string('idempotency_key', 255).nullable();
    table.string('status', 16).notNullable();
    table.string('step', 100).nullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.text('last_error').nullable();
    table.bigInteger('next_attempt_at').notNullable();
    table.string('lease_owner', 255).nullable();
    table.bigInteger('lease_expires_at').nullable();
    table.string('created_by', 255).notNullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('updated_at').notNullable();
    table.bigInteger('finished_at').nullable();

    table.unique(['request_id', 'idempotency_key'], {
      indexName: 'provisioning_operations_idempotency_uniq',
    });
    table.index(
      ['status', 'next_attempt_at'],
      'provisioning_operations_due_idx',
    );
  });

  await knex.schema.createTable('provisioning_events', table => {
    table.increments('id').primary();
    table
      .string('request_id', 36)
      .notNullable()
      .references('id')
      .inTable('provisioning_requests')
      .onDelete('CASCADE');
    table.string('operation_id', 36).nullable();
    table.string('type', 64).notNullable();
    table.text('message').notNullable();
    table.string('actor', 255).nullable();
    table.bigInteger('created_at').notNullable();

    table.index(['request_id'], 'provisioning_events_request_idx');
  });

  await knex.schema.createTable('provisioning_checkpoints', table => {
    table
      .string('operation_id', 36)
      .notNullable()
      .references('id')
      .inTable('provisioning_operations')
      .onDelete('CASCADE');
    // `<step>:<key>`, so that two steps of one operation never share a checkpoint.
    table.string('key', 255).notNullable();
    table.text('value').notNullable();
    table.bigInteger('created_at').notNullable();

    table.primary(['operation_id', 'key']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('provisioning_checkpoints');
  await knex.schema.dropTable('provisioning_events');
  await knex.schema.dropTable('provisioning_operations');
  await knex.schema.dropTable('provisioning_requests');
};

// @ts-check

/*
 * Day-2 actions that need an approval (a deploy to production): the operation waits
 * in status 'pending-approval', still holding its request's one active slot, and
 * records who must decide, why, and what they said, as requests do.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('provisioning_operations', table => {
    table.string('approval_group', 255).nullable();
    table.text('approval_reason').nullable();
    table.string('decision', 16).nullable();
    table.string('decided_by', 255).nullable();
    table.text('decision_comment').nullable();
    table.bigInteger('decided_at').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('provisioning_operations', table => {
    table.dropColumn('approval_group');
    table.dropColumn('approval_reason');
    table.dropColumn('decision');
    table.dropColumn('decided_by');
    table.dropColumn('decision_comment');
    table.dropColumn('decided_at');
  });
};

// @ts-check

/**
 * Entity refs are case-insensitive in Backstage: the store now writes and filters
 * `component` and `owner` in lower case (see `recordRef`), so records written
 * before in another case are brought in line, or filters would no longer find them.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex('workload_deployments').update({
    component: knex.raw('lower(component)'),
    owner: knex.raw('lower(owner)'),
  });
};

/**
 * The case the refs were written in is not kept: nothing to undo.
 *
 * @param {import('knex').Knex} _knex
 */
exports.down = async function down(_knex) {};

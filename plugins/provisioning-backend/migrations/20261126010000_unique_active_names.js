/*
 * Active request names become unique across owners and types, as catalog entity
 * names are: each active request is a catalog Resource named after it, and a
 * database or environment name is global on its server anyway.
 */

exports.up = async function up(knex) {
  await knex.schema.alterTable('provisioning_requests', table => {
    // NULLs (rejected and deleted requests) never collide.
    table.unique(['active_name'], {
      indexName: 'provisioning_requests_active_name_global_uniq',
    });
  });
};

exports.down = async function down(knex) {
  await knex.schema.alterTable('provisioning_requests', table => {
    table.dropUnique(
      ['active_name'],
      'provisioning_requests_active_name_global_uniq',
    );
  });
};

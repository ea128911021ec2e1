/*
 * Resources that expire without activity (environments): when the request's
 * resource is destroyed unless someone uses it, how long each activity extends it,
 * and when the owners were last warned, so that each expiry is announced once.
 */

exports.up = async function up(knex) {
  await knex.schema.alterTable('provisioning_requests', table => {
    table.bigInteger('expires_at').nullable();
    table.bigInteger('ttl_ms').nullable();
    table.bigInteger('expiry_warned_at').nullable();
    table.index(['expires_at'], 'provisioning_requests_expires_at_idx');
  });
};

exports.down = async function down(knex) {
  await knex.schema.alterTable('provisioning_requests', table => {
    table.dropIndex(['expires_at'], 'provisioning_requests_expires_at_idx');
    table.dropColumn('expires_at');
    table.dropColumn('ttl_ms');
    table.dropColumn('expiry_warned_at');
  });
};

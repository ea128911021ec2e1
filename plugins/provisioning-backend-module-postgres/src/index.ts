/**
 * The `postgres` resource type of Paved's provisioning: a least-privilege PostgreSQL
 * database on a configured server, with its credentials in a Kubernetes Secret of the
 * owning team.
 *
 * @packageDocumentation
 */
export { provisioningModulePostgres as default } from './module';
export { purgeDeletedDatabases } from './purge';
export type { PurgedDatabase } from './purge';
export { readPostgresConfig } from './config';
export type {
  PostgresModuleConfig,
  PostgresTarget,
  SslMode,
  KubernetesAccess,
} from './config';
export { PostgresAdmin } from './PostgresAdmin';
export { createPostgresResourceType } from './postgresResourceType';
export { createPostgresReadAccessResourceType } from './readAccess';

/**
 * The `postgres-dedicated` resource type of Paved's provisioning: a dedicated
 * PostgreSQL cluster, run by CloudNativePG in the owning team's namespace.
 *
 * @packageDocumentation
 */
export { provisioningModuleCnpg as default } from './module';
export { readCnpgConfig } from './config';
export type { CnpgModuleConfig, KubernetesAccess } from './config';
export { createCnpgResourceType } from './cnpgResourceType';
export { CnpgClusters } from './kubernetes';
export type { CnpgParameters } from './cnpgResourceType';

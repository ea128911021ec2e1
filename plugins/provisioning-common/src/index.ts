/**
 * Types, permissions and API schemas shared by the provisioning plugin's packages.
 *
 * @packageDocumentation
 */
export * from './requests';
export * from './operations';
export * from './events';
export * from './resourceTypes';
export * from './status';
export * from './localCluster';
export * from './permissions';
export * from './conditions';
export * from './schemas';
export { teamNamespace } from './teamNamespace';
// The client generated from plugins/provisioning-backend/src/schema/openapi.yaml
// (`yarn generate:client`); its models stay internal, the types above are the API's.
export { DefaultApiClient as ProvisioningApiClient } from './schema/openapi';

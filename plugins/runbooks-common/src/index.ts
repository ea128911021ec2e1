/**
 * Types, annotations and permissions shared by the runbooks plugin's packages.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './permissions';
export * from './tasks';
export * from './types';
// The client generated from plugins/runbooks-backend/src/schema/openapi.yaml
// (`yarn generate:client`); its models stay internal, the types above are the API's.
export { DefaultApiClient as RunbooksApiClient } from './schema/openapi';

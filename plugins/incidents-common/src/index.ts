/**
 * Types and permissions shared by the incidents plugin's packages.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './types';
// The client generated from plugins/incidents-backend/src/schema/openapi.yaml
// (`yarn generate:client`); its models stay internal, the types above are the API's.
export { DefaultApiClient as IncidentsApiClient } from './schema/openapi';

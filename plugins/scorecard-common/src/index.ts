/**
 * Types and permissions shared by the scorecard plugin's packages.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './permissions';
// The client generated from plugins/scorecard-backend/src/schema/openapi.yaml
// (`yarn generate:client`); its models stay internal, the types above are the API's.
export { DefaultApiClient as ScorecardApiClient } from './schema/openapi';

/**
 * Types, permissions and API schemas shared by the provisioning plugin's packages.
 *
 * @packageDocumentation
 */
export * from './requests';
export * from './operations';
export * from './events';
export * from './resourceTypes';
export * from './permissions';
export * from './conditions';
export * from './schemas';
export { teamNamespace } from './teamNamespace';

/**
 * Types, annotations and permissions shared by the runbooks plugin's packages.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './permissions';
export * from './tasks';
export * from './types';

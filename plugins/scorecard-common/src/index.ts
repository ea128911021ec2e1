/**
 * Types and permissions shared by the scorecard plugin's packages.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './permissions';

/**
 * Types and permissions shared by the incidents plugin's packages.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './types';

/**
 * What every client generated from a Paved OpenAPI spec needs around it.
 *
 * @packageDocumentation
 */
export { responseBody } from './responseBody';
export type { GeneratedClientResponse } from './responseBody';
export { refusalAsInputError } from './refusalAsInputError';

/**
 * Shared by Paved's template-upgrade packages: the golden-path file a service keeps,
 * change requests, campaigns, the API's types and the permissions.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './permissions';
export * from './goldenPathFile';
export * from './changelog';
export * from './templateLineage';

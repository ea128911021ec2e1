/**
 * Catalog module that resolves relative `file:` source locations against the file
 * the entity was read from.
 *
 * @packageDocumentation
 */
export { catalogModuleRelativeSourceLocations as default } from './module';
export { RelativeSourceLocationProcessor } from './RelativeSourceLocationProcessor';

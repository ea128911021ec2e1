/**
 * Git repositories in the portal's data folder, used as the offline publish target of
 * golden paths and registered in the catalog from their checkouts.
 *
 * @packageDocumentation
 */
export { LocalRepositories } from './LocalRepositories';
export type { PublishOptions, PublishedRepository } from './LocalRepositories';

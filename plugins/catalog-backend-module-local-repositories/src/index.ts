/**
 * Catalog module that registers the portal's local git repositories.
 *
 * @packageDocumentation
 */
export { catalogModuleLocalRepositories as default } from './module';
export { LocalRepositoriesEntityProvider } from './LocalRepositoriesEntityProvider';

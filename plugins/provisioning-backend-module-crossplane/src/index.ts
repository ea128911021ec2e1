/**
 * Crossplane v2 composite resources as resource types of Paved's provisioning:
 * every offered CompositeResourceDefinition becomes a form, and each request a
 * namespaced composite resource in the owning team's (or environment's) namespace.
 *
 * @packageDocumentation
 */
export { provisioningModuleCrossplane as default } from './module';
export { readCrossplaneConfig } from './config';
export type {
  CrossplaneModuleConfig,
  KubernetesAccess,
  XrdOfferConfig,
} from './config';
export {
  connectionSecretName,
  createCompositeResourceType,
} from './compositeResourceType';
export { CompositeResources } from './CompositeResources';
export type { CompositeResource } from './CompositeResources';
export type { CompositeResourceOffer, SkippedXrd } from './offers';
export { openApiToJsonSchema } from './openApiToJsonSchema';
export { typeIdOf } from './typeId';
export type { CompositeResourceDefinition, Condition } from './xrd';
export type { Readiness } from './conditions';

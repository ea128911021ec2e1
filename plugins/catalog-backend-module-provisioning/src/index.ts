/**
 * Catalog module that lists resources provisioned through Paved self-service.
 *
 * @packageDocumentation
 */
export { catalogModuleProvisioning as default } from './module';
export { ProvisionedResourcesEntityProvider } from './ProvisionedResourcesEntityProvider';
export {
  requestToEntity,
  REQUEST_ID_ANNOTATION,
  RESOURCE_TYPE_ANNOTATION,
  STATE_ANNOTATION,
} from './requestToEntity';

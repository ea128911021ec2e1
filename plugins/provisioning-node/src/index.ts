/**
 * The contract between the provisioning plugin and the modules that add resource
 * types to it.
 *
 * @packageDocumentation
 */
export * from './ResourceType';
export * from './StepContext';
export * from './NonRetryableError';
export * from './extensions';
export {
  loadCheckedKubeConfig,
  loadKubeConfig,
  readKubernetesAccess,
} from './kubernetes/kubernetesAccess';
export type { KubernetesAccess } from './kubernetes/kubernetesAccess';
export {
  FIELD_MANAGER,
  isMissingKind,
  MANAGED_BY_LABEL,
  statusOf,
} from './kubernetes/kubernetesErrors';
export { inMemoryRequestLookup } from './inMemoryRequestLookup';

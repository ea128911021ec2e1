/**
 * The `environment` resource type of Paved's provisioning: a Kubernetes namespace per
 * request with a quota, default limits, a default-deny network policy and the owning
 * team's edit role, optionally copied from another environment; and pull-request
 * environments for CI.
 *
 * @packageDocumentation
 */
export { provisioningModuleEnvironments as default } from './module';
export { readEnvironmentsConfig, DEFAULT_SIZES, SIZES } from './config';
export type {
  EnvironmentsModuleConfig,
  EnvironmentSize,
  EnvironmentSizeName,
  KubernetesAccess,
} from './config';
export {
  createEnvironmentResourceType,
  validateEnvironmentName,
  RESOURCE_TYPE_ID,
} from './environmentResourceType';
export type { EnvironmentParameters } from './environmentResourceType';
export { KubernetesObjects } from './kubernetes';
export { OBJECT_NAMES } from './manifests';
export type { DesiredObject } from './manifests';
// The provisioning API as the plugin itself, for modules that make requests of other
// types too (the workload type makes the requests of its Score resources).
export { provisioningCalls } from './provisioningApi/HttpProvisioningCalls';
export { ProvisioningApiError } from './provisioningApi/ProvisioningCalls';
export type { ProvisioningCalls } from './provisioningApi/ProvisioningCalls';
// The names a copy of an environment gives its resources: the workload type finds
// the copies its copied workloads use by them.
export { copyResourceName, MAX_COPY_NAME_LENGTH } from './copyResourceName';

/**
 * The `workload` resource type of Paved's provisioning: Score workloads rendered and
 * applied into environments with their resources wired in, and their deployment
 * records.
 *
 * @packageDocumentation
 */
export { provisioningModuleScore as default } from './module';
export { readScoreConfig } from './config';
export type { ScoreModuleConfig } from './config';
export {
  workloadRequestName,
  scoreResourceRequestName,
} from './workload/names';
export { createWorkloadResourceType } from './workload/workloadResourceType';
export type {
  WorkloadParameters,
  WorkloadVersion,
} from './workload/parameters';

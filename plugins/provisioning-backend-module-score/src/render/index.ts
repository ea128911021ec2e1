export { renderWorkload } from './renderWorkload';
export type { RenderWorkloadOptions } from './renderWorkload';
export { RenderError } from './RenderError';
export { DEFAULT_PROBES, DEFAULT_WORKLOAD_DEFAULTS } from './defaults';
export type { DefaultProbes, WorkloadDefaults } from './defaults';
export { KUBERNETES_ID_LABEL, WORKLOAD_LABEL } from './names';
export { ROUTE_TYPE } from './routes';
export { resolveResourceParams } from './resourceParams';

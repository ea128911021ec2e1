export { deploymentsApiRef } from './DeploymentsApi';
export type {
  DeploymentAccepted,
  DeploymentsApi,
  DeployRequest,
  DoraQuery,
  ListDeploymentsQuery,
} from './DeploymentsApi';
export { DeploymentsClient } from './DeploymentsClient';

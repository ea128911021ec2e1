/**
 * Deployments in the portal (new frontend system): a component's Deployments tab
 * and the delivery (DORA) figures of teams and the organisation.
 *
 * @packageDocumentation
 */
export { deploymentsPlugin as default } from './plugin';
export {
  deploymentsApiRef,
  DeploymentsClient,
  type DeploymentAccepted,
  type DeploymentsApi,
  type DeployRequest,
  type DoraQuery,
  type ListDeploymentsQuery,
} from './api';

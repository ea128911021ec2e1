import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  DeployBody,
  DeploymentAccepted,
  DeploymentRecord,
  DoraReport,
  PromoteBody,
  RollbackBody,
  WorkloadEnvironment,
} from '@paved/plugin-deployments-common';

/**
 * `POST /deployments`: a version of a component for one environment (the body's
 * shape is the API's, in `@paved/plugin-deployments-common`).
 *
 * @public
 */
export type DeployRequest = DeployBody;

export type { DeploymentAccepted };

/** @public */
export interface ListDeploymentsQuery {
  component?: string;
  environment?: string;
  owner?: string;
  limit?: number;
}

/**
 * Whose delivery figures: a component's, a team's (`owner`), or, with neither,
 * the organisation's.
 *
 * @public
 */
export interface DoraQuery {
  component?: string;
  owner?: string;
  weeks?: number;
}

/**
 * The deployments API of the provisioning backend, as the frontend uses it. Failed
 * calls reject with a `ResponseError` carrying the server's message.
 *
 * @public
 */
export interface DeploymentsApi {
  deploy(request: DeployRequest): Promise<DeploymentAccepted>;
  promote(request: PromoteBody): Promise<DeploymentAccepted>;
  rollback(request: RollbackBody): Promise<DeploymentAccepted>;
  /** Newest first. */
  listDeployments(query: ListDeploymentsQuery): Promise<DeploymentRecord[]>;
  listEnvironments(component: string): Promise<WorkloadEnvironment[]>;
  getDora(query: DoraQuery): Promise<DoraReport>;
}

/** @public */
export const deploymentsApiRef = createApiRef<DeploymentsApi>({
  id: 'plugin.deployments.service',
});

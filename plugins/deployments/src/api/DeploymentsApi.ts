import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  DeploymentRecord,
  DoraReport,
  WorkloadEnvironment,
} from '@paved/plugin-deployments-common';

/** `POST /deployments`: a version of a component for one environment. @public */
export interface DeployRequest {
  /** The component's entity ref. */
  component: string;
  environment: string;
  image: string;
  gitRef?: string;
  /** When the change was committed (ISO 8601); CI gives it, lead time starts there. */
  commitTime?: string;
}

/**
 * What the backend answers a deploy, promotion or rollback with (202): the workload
 * request that runs it and, once queued, the operation rolling it out.
 *
 * @public
 */
export interface DeploymentAccepted {
  requestId: string;
  operationId?: string;
  /** The request's state, e.g. `provisioning`, `updating` or `pending-approval`. */
  state: string;
}

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
  promote(request: {
    component: string;
    from: string;
    to: string;
  }): Promise<DeploymentAccepted>;
  rollback(request: {
    component: string;
    environment: string;
  }): Promise<DeploymentAccepted>;
  /** Newest first. */
  listDeployments(query: ListDeploymentsQuery): Promise<DeploymentRecord[]>;
  listEnvironments(component: string): Promise<WorkloadEnvironment[]>;
  getDora(query: DoraQuery): Promise<DoraReport>;
}

/** @public */
export const deploymentsApiRef = createApiRef<DeploymentsApi>({
  id: 'plugin.deployments.service',
});

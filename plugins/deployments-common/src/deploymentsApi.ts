import { JsonObject } from '@backstage/types';

/*
 * The bodies of the deployments API (routes of the provisioning plugin's Score
 * module, under /api/provisioning; named as in its src/schema/openapi.yaml), shared
 * by the backend that answers them and the clients that call them.
 */

/**
 * `POST /deployments`: a version of a component for one environment.
 *
 * @public
 */
export interface DeployBody {
  /** The component's entity ref; `orders` stands for `component:default/orders`. */
  component: string;
  /** The environment's name. */
  environment: string;
  /** The image that replaces `.` in the workload's containers. */
  image: string;
  /** The git ref the image was built from. */
  gitRef?: string;
  /** When the change was committed (ISO 8601); CI gives it, lead time starts there. */
  commitTime?: string;
  /** The Score workload, as JSON; the one of the component's newest deployment when absent. */
  workload?: JsonObject;
}

/**
 * `POST /deployments/promote`: the version running in `from`, deployed to `to`.
 *
 * @public
 */
export interface PromoteBody {
  component: string;
  from: string;
  to: string;
}

/**
 * `POST /deployments/rollback`: an earlier succeeded deployment of the component in
 * the environment, put back.
 *
 * @public
 */
export interface RollbackBody {
  component: string;
  environment: string;
  /** The deployment to put back; the previous succeeded one when absent. */
  to?: string;
}

/**
 * What the deploy, promote and rollback calls answer (202): the work queued. The
 * rollout runs as an operation of the workload's request in the environment.
 *
 * @public
 */
export interface DeploymentAccepted {
  /** The workload request of the component's workload in the environment. */
  requestId: string;
  /** The operation that rolls it out, to follow on the request's page. */
  operationId?: string;
  /** The request's state, e.g. `provisioning`, `updating` or `pending-approval`. */
  state: string;
}

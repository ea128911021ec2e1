import { JsonObject } from '@backstage/types';
import {
  DeploymentRecord,
  DeploymentStatus,
  EnvironmentStage,
} from '@paved/plugin-deployments-common';

/** A deployment as the workload type starts it: everything but its outcome. */
export type NewDeployment = Omit<
  DeploymentRecord,
  'id' | 'status' | 'finishedAt' | 'reason' | 'startedAt'
> & {
  /** The Score workload as deployed (placeholders unresolved), for rollbacks and promotions. */
  spec: JsonObject;
  /** Now when absent; the sample history gives past times. */
  startedAt?: string;
};

/**
 * Entity refs as records keep and compare them. The catalog treats refs as
 * case-insensitive (`component:default/Orders` is `component:default/orders`) and
 * so does the scorecard, which asks with lower-case refs: stores write and filter
 * component and owner refs in lower case, so that every spelling finds the same
 * records.
 */
export const recordRef = (ref: string): string =>
  ref.toLocaleLowerCase('en-US');

/** Which deployments to list, newest first; `component` and `owner` in any case. */
export interface DeploymentFilter {
  component?: string;
  /** The owning group's entity ref. */
  owner?: string;
  environment?: string;
  stage?: EnvironmentStage;
  status?: DeploymentStatus;
  /** Started at or after (ISO 8601). */
  since?: string;
  limit?: number;
}

/**
 * The deployment records: one per rollout of a workload into an environment. The
 * workload type writes them as it works; the delivery figures and the Deployments
 * tab read them.
 */
export interface DeploymentStore {
  /**
   * Records a deployment as in progress. Idempotent by `operationId`: a resumed
   * step gets the record it made before.
   */
  start(deployment: NewDeployment): Promise<DeploymentRecord>;
  /** Records its outcome; `finishedAt` is now when absent. */
  finish(
    id: string,
    outcome: {
      status: 'succeeded' | 'failed';
      reason?: string;
      finishedAt?: string;
    },
  ): Promise<void>;
  get(
    id: string,
  ): Promise<(DeploymentRecord & { spec: JsonObject }) | undefined>;
  list(filter: DeploymentFilter): Promise<DeploymentRecord[]>;
  /** The newest succeeded deployment of a workload request before `before` (a record id), for rollbacks. */
  previousSucceeded(
    requestId: string,
    before?: string,
  ): Promise<(DeploymentRecord & { spec: JsonObject }) | undefined>;
}

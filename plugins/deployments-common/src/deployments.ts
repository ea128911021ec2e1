/**
 * What one deployment is: a workload (a component's Score workload) at one version,
 * rolled out into one environment. Every deploy, promotion and rollback makes one;
 * the delivery (DORA) figures are computed from them.
 *
 * @public
 */
export type DeploymentKind = 'deploy' | 'promotion' | 'rollback';

/** @public */
export type DeploymentStatus = 'in-progress' | 'succeeded' | 'failed';

/**
 * An environment's stage; promotion goes development → staging → production, and a
 * deployment to production may need an approval.
 *
 * @public
 */
export type EnvironmentStage = 'development' | 'staging' | 'production';

/** @public */
export const ENVIRONMENT_STAGES: readonly EnvironmentStage[] = [
  'development',
  'staging',
  'production',
];

/**
 * One deployment, as stored and as `GET /api/provisioning/deployments` answers it.
 * Never holds a secret: placeholders of secret outputs stay placeholders.
 *
 * @public
 */
export interface DeploymentRecord {
  id: string;
  /** The component's entity ref, e.g. `component:default/orders`. */
  component: string;
  /** The owning group's entity ref. */
  owner: string;
  /** The environment's name (its namespace). */
  environment: string;
  stage: EnvironmentStage;
  /** The Score workload's `metadata.name`. */
  workload: string;
  /** The provisioning request of the workload in the environment (type `workload`). */
  requestId?: string;
  /** The provisioning operation that rolled it out. */
  operationId?: string;
  kind: DeploymentKind;
  status: DeploymentStatus;
  /** The image that replaced `.` in the workload's containers. */
  image: string;
  gitRef?: string;
  /** When the change was committed (ISO 8601), as CI reports it: lead time starts there. */
  commitTime?: string;
  /** For a rollback: the deployment whose version it put back. */
  rollbackOf?: string;
  /** For a promotion: the deployment it copied. */
  promotedFrom?: string;
  /** Why it failed: the rollout's or the pods' reasons. */
  reason?: string;
  createdBy: string;
  startedAt: string;
  finishedAt?: string;
}

/**
 * The four delivery figures over a period, for a component, a team or the whole
 * organisation. Undefined where nothing was deployed or nothing failed.
 *
 * @public
 */
export interface DoraFigures {
  /** Successful production deployments per week over the period. */
  deploymentsPerWeek: number;
  /** Median hours from commit to running in production. */
  leadTimeHours?: number;
  /**
   * Share (0–1) of production deployments followed, within the window, by a
   * rollback or an incident of the component.
   */
  changeFailureRate?: number;
  /** Median hours from a failed change (or incident) to service restored. */
  timeToRestoreHours?: number;
  /** Production deployments counted. */
  deployments: number;
  /** The level of each figure in the DORA research's bands. */
  levels: {
    deploymentFrequency: DoraLevel;
    leadTime?: DoraLevel;
    changeFailureRate?: DoraLevel;
    timeToRestore?: DoraLevel;
  };
}

/** @public */
export type DoraLevel = 'elite' | 'high' | 'medium' | 'low';

/**
 * DORA figures for one week, for charts.
 *
 * @public
 */
export interface DoraWeek extends DoraFigures {
  /** Monday of the week, `YYYY-MM-DD`. */
  week: string;
}

/**
 * `GET /api/provisioning/deployments/dora`.
 *
 * @public
 */
export interface DoraReport {
  /** What it is for: `component:…`, `group:…` or `organisation`. */
  scope: string;
  from: string;
  to: string;
  /** Hours after a production deployment within which a rollback or incident counts as its failure. */
  failureWindowHours: number;
  overall: DoraFigures;
  weeks: DoraWeek[];
}

/**
 * What runs where, for a component's Deployments tab
 * (`GET /api/provisioning/deployments/environments?component=`).
 *
 * @public
 */
export interface WorkloadEnvironment {
  environment: string;
  stage: EnvironmentStage;
  /** The workload request, to link to its page. */
  requestId?: string;
  /** The workload request's state, e.g. `ready` or `updating`. */
  state?: string;
  /** The deployment running now (the newest that succeeded). */
  current?: DeploymentRecord;
  /** The newest deployment, when it differs from `current` (in progress or failed). */
  latest?: DeploymentRecord;
  /** The environment promotion goes to next, if one of the component's is at the next stage. */
  next?: string;
}

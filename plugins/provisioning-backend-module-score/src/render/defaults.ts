/**
 * What a rendered workload gets where its Score document says nothing: container
 * requests and limits (so that a namespace quota on `limits.cpu` admits the pods) and
 * how long a rollout may take to make progress.
 *
 * @public
 */
export interface WorkloadDefaults {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
  /** The Deployment's `progressDeadlineSeconds`: past it, a stuck rollout fails. */
  progressDeadlineSeconds: number;
  /** The Ingress class of route Ingresses; the cluster's default class when unset. */
  ingressClassName?: string;
}

/** @public */
export const DEFAULT_WORKLOAD_DEFAULTS: WorkloadDefaults = {
  requests: { cpu: '50m', memory: '64Mi' },
  limits: { cpu: '500m', memory: '256Mi' },
  progressDeadlineSeconds: 60,
};

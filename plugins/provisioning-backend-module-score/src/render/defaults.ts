/**
 * The probes a container gets where its Score document gives none: TCP checks of
 * the port the workload's Service sends traffic to, so that a rollout waits until
 * the new pods accept connections and a container that stops accepting them is
 * restarted (the golden path's defaults; Score workloads often omit probes).
 *
 * @public
 */
export interface DefaultProbes {
  /** Off: a container without probes gets none (readiness is then "running"). */
  enabled: boolean;
  /** How often the default readiness probe checks, in seconds. */
  readinessPeriodSeconds: number;
  /** How often the default liveness probe checks, in seconds. */
  livenessPeriodSeconds: number;
  /**
   * Seconds after the container starts before the default liveness probe checks:
   * a slow starter is not restarted before it has had the chance to listen.
   */
  livenessInitialDelaySeconds: number;
}

/**
 * What a rendered workload gets where its Score document says nothing: container
 * requests and limits (so that a namespace quota on `limits.cpu` admits the pods),
 * probes, and how long a rollout may take to make progress.
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
  /** Probes for containers without them; on when absent. */
  probes?: DefaultProbes;
}

/** @public */
export const DEFAULT_PROBES: DefaultProbes = {
  enabled: true,
  readinessPeriodSeconds: 5,
  livenessPeriodSeconds: 10,
  livenessInitialDelaySeconds: 30,
};

/** @public */
export const DEFAULT_WORKLOAD_DEFAULTS: WorkloadDefaults = {
  requests: { cpu: '50m', memory: '64Mi' },
  limits: { cpu: '500m', memory: '256Mi' },
  progressDeadlineSeconds: 60,
  probes: DEFAULT_PROBES,
};

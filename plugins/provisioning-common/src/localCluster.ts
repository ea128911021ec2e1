/**
 * Where the local Kubernetes cluster of `./paved start` stands:
 *
 * - `building`: its binaries are being compiled (a first start, minutes);
 * - `starting`: built; it starts, and the portal's backend restarts to use it;
 * - `ready`: the portal uses it;
 * - `failed`: it could not be built or started (`message` says why);
 * - `off`: there is no local cluster (production, `PAVED_CLUSTER=off`, or clusters
 *   of one's own).
 *
 * @public
 */
export type LocalClusterState =
  | 'building'
  | 'starting'
  | 'ready'
  | 'failed'
  | 'off';

/**
 * The local cluster's state as `GET /local-cluster` serves it.
 *
 * @public
 */
export interface LocalClusterStatus {
  state: LocalClusterState;
  /** When this start of the cluster began (its build, when one runs); ISO 8601. */
  startedAt?: string;
  /** How long the last complete build took, in seconds. */
  lastBuildSeconds?: number;
  /** What is being done now, e.g. `kube-apiserver (2 of 5)`. */
  step?: string;
  /** Why it failed, with where to read more. */
  message?: string;
}

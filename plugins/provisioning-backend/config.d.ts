import { HumanDuration } from '@backstage/types';

export interface Config {
  provisioning?: {
    policy?: {
      /**
       * The group that approves when a rule or a resource type asks for an approval
       * and names nobody. Defaults to group:default/platform-team.
       */
      defaultApprovers?: string;
      /**
       * Per-team, per-type limits on active requests (or on what a type counts, e.g.
       * gigabytes). For a request, the most specific matching entry applies: owner and
       * type, then owner, then type, then neither. No match: no limit.
       */
      quotas?: Array<{
        /** A resource type id; all types if absent. */
        type?: string;
        /** A group entity ref, e.g. group:default/payments-team; all owners if absent. */
        owner?: string;
        max: number;
      }>;
      /**
       * Rules that hold requests for an approval. The first matching rule routes the
       * request to its approvers. A rule without `parameter` matches every request of
       * its types; with one, it needs `equals`, `oneOf` or `greaterThan`.
       */
      approvals?: Array<{
        /** Shown to requesters and approvers, e.g. `production`. */
        name: string;
        /** Resource type ids; all types if absent. */
        types?: string[];
        /** A parameter path, e.g. `environment` or `storage.sizeGb`. */
        parameter?: string;
        equals?: string | number | boolean;
        oneOf?: Array<string | number | boolean>;
        greaterThan?: number;
        /** The approving group; `defaultApprovers` if absent. */
        approvers?: string;
      }>;
    };
    worker?: {
      /** Defaults to true. Turn off on replicas that should only serve the API. */
      enabled?: boolean;
      /** Operations one backend runs at a time. Defaults to 4. */
      concurrency?: number;
      /** How often to look for due work. Defaults to 5 seconds. */
      pollInterval?: HumanDuration | string;
      /**
       * How long a worker's claim on an operation lasts without a heartbeat; after it,
       * another worker resumes the operation. Heartbeats come every third of it.
       * Defaults to 1 minute.
       */
      leaseDuration?: HumanDuration | string;
      /** How long to wait before asking a resource that is coming up again. Defaults to 15 seconds. */
      observeInterval?: HumanDuration | string;
      retry?: {
        /** Attempts per operation, the first included. Defaults to 5. */
        maxAttempts?: number;
        /** The wait after the first failure; it doubles after each. Defaults to 10 seconds. */
        initialBackoff?: HumanDuration | string;
        /** The longest wait between attempts. Defaults to 10 minutes. */
        maxBackoff?: HumanDuration | string;
      };
    };
    expiry?: {
      /** How often expiring resources are checked. Defaults to 1 minute. */
      frequency?: HumanDuration | string;
      /** How long before its expiry the owners of a resource are warned. Defaults to 2 hours. */
      warnBefore?: HumanDuration | string;
    };
    reconcile?: {
      /** How often ready resources' platform-owned parts are checked for drift. Defaults to 1 minute. */
      frequency?: HumanDuration | string;
    };
  };
  paved?: {
    localCluster?: {
      /**
       * The status file of the local Kubernetes cluster that `./paved start` builds
       * and starts beside the portal; `GET /local-cluster` serves it, and the
       * portal's pages say while the cluster is still being built. Absent in
       * production: there is no local cluster.
       */
      statusFile?: string;
    };
  };
}

export interface Config {
  provisioning?: {
    /**
     * The `workload` resource type (Score workloads deployed into environments) and
     * the deployments API. Without this section the module registers neither (and
     * logs why); with it, every key is checked when the backend starts.
     */
    score?: {
      /**
       * The Kubernetes API workloads are deployed to (the environments' cluster).
       * Either `kubeconfigPath`, or `url` with a CA and a token. When absent, the
       * backend must run in a pod, whose service account is used.
       */
      kubernetes?: {
        /** A kubeconfig file; its current context is used. */
        kubeconfigPath?: string;
        /** The API server, e.g. `https://kubernetes.default.svc`. */
        url?: string;
        /** A PEM file of the API server's CA. */
        caFile?: string;
        /** The API server's CA, base64-encoded PEM. */
        caData?: string;
        /**
         * A bearer token of the identity Paved deploys as; it needs get, list,
         * create, patch and delete on deployments, services, configmaps and
         * ingresses, and list on replicasets and pods, in environments' namespaces.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /** Skips TLS verification; for local experiments only. */
        skipTLSVerify?: boolean;
      };
      /**
       * Host names of Score `dns` resources are `<workload>-<environment>.<baseDomain>`.
       * Defaults to `localtest.me` (which resolves to 127.0.0.1).
       */
      baseDomain?: string;
      /** What rendered workloads get where their Score document says nothing. */
      defaults?: {
        /** Container requests, e.g. `{ cpu: 50m, memory: 64Mi }`. */
        requests?: { cpu?: string; memory?: string };
        /** Container limits, e.g. `{ cpu: 500m, memory: 256Mi }`. */
        limits?: { cpu?: string; memory?: string };
        /** How long a rollout may make no progress before it fails. */
        progressDeadlineSeconds?: number;
        /** The IngressClass of route Ingresses; the cluster's default when absent. */
        ingressClassName?: string;
        /**
         * Probes for a workload's serving container (its first ordinary container)
         * when it gives no readiness or liveness probe of its own and the workload
         * has `service.ports`: TCP checks of the first TCP port's `targetPort`.
         * `true` (the default) or `false`, or the settings.
         */
        probes?:
          | boolean
          | {
              /** Defaults to true. */
              enabled?: boolean;
              /** How often the readiness probe checks, in seconds. Defaults to 5. */
              readinessPeriodSeconds?: number;
              /** How often the liveness probe checks, in seconds. Defaults to 10. */
              livenessPeriodSeconds?: number;
              /** Seconds before the liveness probe first checks. Defaults to 30. */
              livenessInitialDelaySeconds?: number;
            };
      };
      /** Records the sample organisation's deployment history on start (`./paved start`). */
      sampleHistory?: boolean;
      /** The delivery (DORA) figures. */
      dora?: {
        /**
         * Hours after a production deployment within which a rollback or an
         * incident counts as its failure. Defaults to 24.
         */
        failureWindowHours?: number;
      };
    };
  };
}

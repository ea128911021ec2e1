export interface Config {
  provisioning?: {
    /**
     * The `environment` resource type: a Kubernetes namespace per request, with a
     * quota, default limits, a default-deny network policy and the owning team's
     * `edit` role. Without this section the module registers no type and no
     * pull-request endpoint (and logs why); with it, every key is checked when the
     * backend starts.
     */
    environments?: {
      /**
       * The Kubernetes API environments are made in. Either `kubeconfigPath`, or `url`
       * with a CA and a token. When absent, the backend must run in a pod, whose
       * service account is used.
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
         * A bearer token of the identity Paved makes environments as; it needs get,
         * list, create, patch and delete on namespaces, resourcequotas, limitranges,
         * networkpolicies, rolebindings, deployments, statefulsets, services,
         * configmaps and ingresses, list on pods, and `bind` on the ClusterRole `edit`.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /** Skips TLS verification; for local experiments only. */
        skipTLSVerify?: boolean;
      };
      /**
       * The namespace of the ingress controller, whose pods the default-deny network
       * policy lets in (matched by its `kubernetes.io/metadata.name` label). Defaults
       * to `ingress-nginx`.
       */
      ingressNamespace?: string;
      /**
       * Overrides of the sizes' quotas and default container limits; each key is
       * optional and falls back to the built-in table (docs/self-service.md).
       */
      sizes?: {
        small?: EnvironmentSizeOverride;
        medium?: EnvironmentSizeOverride;
        large?: EnvironmentSizeOverride;
      };
    };
  };
}

/** Overrides of one size of environment; absent keys keep the built-in value. */
interface EnvironmentSizeOverride {
  /** Sum of CPU requests of the namespace's pods, e.g. `2`. */
  requestsCpu?: string;
  /** Sum of memory requests, e.g. `4Gi`. */
  requestsMemory?: string;
  /** Sum of CPU limits, e.g. `4`. */
  limitsCpu?: string;
  /** Sum of memory limits, e.g. `8Gi`. */
  limitsMemory?: string;
  /** Most pods at once. */
  pods?: number;
  /** Most Services. */
  services?: number;
  /** Most persistent volume claims. */
  persistentVolumeClaims?: number;
  /** CPU request of a container that sets none, e.g. `100m`. */
  defaultRequestCpu?: string;
  /** Memory request of a container that sets none, e.g. `128Mi`. */
  defaultRequestMemory?: string;
  /** CPU limit of a container that sets none, e.g. `500m`. */
  defaultLimitCpu?: string;
  /** Memory limit of a container that sets none, e.g. `512Mi`. */
  defaultLimitMemory?: string;
}

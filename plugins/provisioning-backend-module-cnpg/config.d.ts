export interface Config {
  provisioning?: {
    /**
     * The `postgres-dedicated` resource type: a dedicated PostgreSQL cluster run by the
     * CloudNativePG operator. Without this section the module registers no type (and
     * logs why); with it, every key is checked when the backend starts.
     */
    cnpg?: {
      /**
       * The Kubernetes API that runs CloudNativePG; each Cluster goes to the owning
       * team's namespace. Either `kubeconfigPath`, or `url` with a CA and a token. When
       * absent, the backend must run in a pod, whose service account is used.
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
         * A bearer token of the identity Paved applies Clusters as; it needs get,
         * create, patch and delete on `clusters.postgresql.cnpg.io`, and get, create
         * and patch on namespaces.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /** Skips TLS verification; for local experiments only. */
        skipTLSVerify?: boolean;
      };
      /**
       * The PostgreSQL image of every Cluster (`spec.imageName`), e.g.
       * `ghcr.io/cloudnative-pg/postgresql:16.4`. CloudNativePG's default if absent.
       */
      imageName?: string;
      /** The storage class of every Cluster's volumes; the cluster's default if absent. */
      storageClass?: string;
      /** The instances (primary and replicas) the form preselects, 1 to 5. Defaults to 1. */
      defaultInstances?: number;
      /** The largest volume, in GiB, a request may ask for. Defaults to 50. */
      maxStorageGi?: number;
    };
  };
}

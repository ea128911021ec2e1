export interface Config {
  paved?: {
    runbooks?: {
      /**
       * The most replicas `paved:kubernetes:scale` sets a Deployment to, unless the
       * Deployment's `paved.dev/max-replicas` annotation says otherwise. Default 10.
       */
      maxReplicas?: number;
      /**
       * The Kubernetes API that runbooks act on (restart, scale, roll back,
       * diagnostics). Without it, and outside a pod, those actions fail.
       */
      kubernetes?: {
        /** A kubeconfig file; or url with caFile/caData and serviceAccountToken. */
        kubeconfigPath?: string;
        url?: string;
        caFile?: string;
        caData?: string;
        /** @visibility secret */
        serviceAccountToken?: string;
        skipTLSVerify?: boolean;
      };
    };
  };
}

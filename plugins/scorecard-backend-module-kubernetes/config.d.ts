export interface Config {
  scorecard?: {
    /**
     * Where the scorecard reads Deployments: `kubeconfigPath`, or `url` with `caFile`
     * / `caData` and `serviceAccountToken`; absent, the module is off (unless the
     * backend runs in a pod).
     */
    kubernetes?: {
      kubeconfigPath?: string;
      url?: string;
      caFile?: string;
      caData?: string;
      /** @visibility secret */
      serviceAccountToken?: string;
      skipTLSVerify?: boolean;
    };
  };
}

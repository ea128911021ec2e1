export interface Config {
  scorecard?: {
    deployments?: {
      /**
       * Whether to read delivery facts from the deployments API. Defaults to whether
       * this backend serves that API (a `provisioning.score` section); set it to
       * true when the provisioning plugin runs in another backend.
       */
      enabled?: boolean;
    };
  };
}

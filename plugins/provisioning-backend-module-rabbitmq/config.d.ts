export interface Config {
  provisioning?: {
    /**
     * The `rabbitmq-queue` resource type. Without this section the module registers no
     * type (and logs why); with it, every key is checked when the backend starts.
     */
    rabbitmq?: {
      /**
       * The broker's management HTTP API (the rabbitmq_management plugin), e.g.
       * `https://rabbitmq.internal:15671`. The backend makes vhosts, users,
       * permissions, queues and policies through it.
       */
      managementUrl: string;
      /** A user with the `administrator` tag on the broker. */
      adminUser: string;
      /**
       * The administrator's password; take it from an environment variable, e.g.
       * `${PAVED_RABBITMQ_ADMIN_PASSWORD}`.
       * @visibility secret
       */
      adminPassword: string;
      /** Where applications reach AMQP (written into their Secret), e.g. `rabbitmq.messaging.svc`. */
      amqpHost: string;
      /** The AMQP port applications use: usually 5672, or 5671 with TLS. */
      amqpPort: number;
      /** Whether applications connect with TLS (`amqps://` URIs). Defaults to false. */
      tls?: boolean;
      /**
       * Messages ready in a queue above which its backlog alert fires (after 10
       * minutes), for queues without a max length; a queue with one alerts at 80 % of
       * it. Defaults to 1000.
       */
      backlogAlertThreshold?: number;
      /**
       * The Kubernetes API that receives each queue's Secret (in the owning team's or
       * the environment's namespace) and PrometheusRule. Either `kubeconfigPath`, or
       * `url` with a CA and a token. When absent, the backend must run in a pod, whose
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
         * A bearer token of the identity Paved writes Secrets as; it needs create,
         * patch and delete on secrets and prometheusrules, and get, create and patch
         * on namespaces.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /** Skips TLS verification; for local experiments only. */
        skipTLSVerify?: boolean;
      };
    };
  };
}

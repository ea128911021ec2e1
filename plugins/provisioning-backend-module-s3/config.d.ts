import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  provisioning?: {
    /**
     * The `s3-bucket` and `s3-bucket-read-access` resource types. Without this section
     * the module registers no type (and logs why); with it, every key is checked when
     * the backend starts.
     */
    s3?: {
      /**
       * The S3 API the backend makes buckets on, e.g. `https://s3.eu-west-1.amazonaws.com`
       * or `http://versitygw.storage.svc:7070`.
       */
      endpoint: string;
      /** The region buckets are made in and Secrets name, e.g. `us-east-1`. */
      region: string;
      /**
       * Path-style addressing (`<endpoint>/<bucket>`) instead of virtual-hosted
       * (`<bucket>.<endpoint>`), as most S3 servers other than AWS need. Defaults to false;
       * written into each Secret (`S3_FORCE_PATH_STYLE`).
       */
      forcePathStyle?: boolean;
      /** The access key id of the identity the backend acts as (versitygw: its root account). */
      accessKeyId: string;
      /**
       * Its secret key; take it from an environment variable, e.g. `${PAVED_S3_SECRET_KEY}`.
       * @visibility secret
       */
      secretAccessKey: string;
      /**
       * The endpoint applications use (written into their Secret as `AWS_ENDPOINT_URL`),
       * when it differs from `endpoint`, e.g. a DNS name inside the cluster. Defaults to
       * `endpoint`.
       */
      publicEndpoint?: string;
      /**
       * Put before every bucket name, e.g. `acme-` (S3 bucket names are global on
       * AWS). Lowercase letters, digits and dashes. None by default.
       */
      bucketPrefix?: string;
      /** How access keys limited to one bucket are made. */
      accessKeys: {
        /**
         * `versitygw`: accounts made through versitygw's admin API, granted their bucket
         * by its bucket policy. The only kind today (see docs/buckets.md for AWS IAM).
         */
        type: 'versitygw';
        /** versitygw's admin API (its `--admin-port`), e.g. `http://versitygw.storage.svc:7071`. */
        adminEndpoint: string;
      };
      /**
       * How long a deleted request's bucket (and its objects) is kept, unreachable,
       * before it is emptied and deleted. Defaults to 7 days.
       */
      deletionRetention?: HumanDuration | string;
      /**
       * When deleted buckets past their retention are emptied and deleted (one replica
       * at a time). Defaults to every hour, the first 5 minutes after start.
       */
      purgeSchedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * When expired objects are deleted (one replica at a time). Defaults to every
       * hour, the first 7 minutes after start.
       */
      expirySchedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * The Kubernetes API that receives each bucket's Secret (in the owning team's or
       * environment's namespace). Either `kubeconfigPath`, or `url` with a CA and a
       * token. When absent, the backend must run in a pod, whose service account is used.
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
         * patch and delete on secrets, and get, create and patch on namespaces.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /** Skips TLS verification; for local experiments only. */
        skipTLSVerify?: boolean;
      };
    };
  };
}

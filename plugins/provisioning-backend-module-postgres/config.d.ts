import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  provisioning?: {
    /**
     * The `postgres` resource type. Without this section the module registers no type
     * (and logs why); with it, every key is checked when the backend starts.
     */
    postgres?: {
      /**
       * The PostgreSQL servers databases are made on. Requesters pick one by id; the
       * admin credentials never leave the backend.
       */
      targets: Array<{
        /** Stable id, lowercase letters, digits and dashes, e.g. `shared-eu`; stored on requests. */
        id: string;
        /** Shown in the request form; the id if absent. */
        title?: string;
        /** Where the backend reaches the server as its admin. */
        host: string;
        /** Defaults to 5432. */
        port?: number;
        /**
         * A superuser, or a role with CREATEDB and CREATEROLE (e.g. a managed
         * service's master user).
         */
        adminUser: string;
        /**
         * The admin's password; take it from an environment variable, e.g.
         * `${PAVED_PG_SHARED_ADMIN_PASSWORD}`.
         * @visibility secret
         */
        adminPassword: string;
        /** The database the admin connects to. Defaults to `postgres`. */
        adminDatabase?: string;
        /**
         * `host:port` that applications use (written into their Secret), when it differs
         * from `host`/`port`, e.g. a DNS name inside the cluster. Defaults to host and port.
         */
        connectionHost?: string;
        /**
         * TLS for the admin connection: `disable`, `require` (encrypted, not verified) or
         * `verify-full` (verified against the system's CAs or `caFile`). Defaults to
         * `verify-full`.
         */
        sslMode?: 'disable' | 'require' | 'verify-full';
        /** A PEM file of the CA that signed the server's certificate, for `verify-full`. */
        caFile?: string;
        /** The target the form preselects; the first target if none is marked. */
        default?: boolean;
      }>;
      /**
       * How long a deleted request's database is kept (unreachable) before it is dropped,
       * so that a mistaken deletion can be undone by a DBA. Defaults to 7 days.
       */
      deletionRetention?: HumanDuration | string;
      /**
       * Logical backups (pg_dump, custom format) of every live database, on a schedule
       * and on demand (the Back up now action), restorable with the Restore action.
       * Off when absent.
       */
      backups?: {
        /**
         * Where backups are kept: a folder, or an S3 bucket (AWS or any S3 API). Both
         * keep `<target>/<database>/<request id>/<backup id>.dump`.
         */
        store:
          | {
              type: 'folder';
              /** Relative paths are resolved from the backend's working directory. */
              path: string;
            }
          | {
              type: 's3';
              /**
               * The S3 API of a server other than AWS (Ceph, versitygw, ...), e.g.
               * `https://s3.internal:7070`. AWS's, for `region`, when absent.
               */
              endpoint?: string;
              /** e.g. `eu-west-1`; S3-compatible servers accept `us-east-1`. */
              region: string;
              /** An existing bucket; the backend does not create it. */
              bucket: string;
              /** Prepended to every key, e.g. `paved/backups`. None when absent. */
              prefix?: string;
              /**
               * `https://<endpoint>/<bucket>/<key>` instead of a host name per bucket.
               * Defaults to true with `endpoint`, false for AWS.
               */
              forcePathStyle?: boolean;
              /** A key that may list, get, put and delete objects in the bucket. */
              accessKeyId: string;
              /**
               * The key's secret; take it from an environment variable, e.g.
               * `${PAVED_BACKUPS_S3_SECRET_KEY}`.
               * @visibility secret
               */
              secretAccessKey: string;
            };
        /**
         * How often every database is backed up. Defaults to 24 hours. The
         * PostgresBackupTooOld alert fires when a database's newest backup is older than
         * twice this.
         */
        frequency?: HumanDuration | string;
        /** How long after start the first scheduled backup runs. Defaults to 10 minutes. */
        initialDelay?: HumanDuration | string;
        /** Backups kept per database (the newest always is). Defaults to 7. */
        keep?: number;
        /** Backups older than this are deleted (the newest never is). */
        maxAge?: HumanDuration | string;
        /** Defaults to `$PAVED_PG_BIN/pg_dump`, else `pg_dump` on the PATH. */
        pgDumpPath?: string;
        /** Defaults to pg_restore next to pg_dump. */
        pgRestorePath?: string;
      };
      /**
       * When deleted databases past their retention are dropped (one replica at a time).
       * Defaults to every hour, the first 5 minutes after start.
       */
      purgeSchedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** The connection limit of a new database's login role. Defaults to 10 (1 to 200). */
      defaultConnectionLimit?: number;
      /**
       * The Kubernetes API that receives each database's Secret (in the owning team's
       * namespace). Either `kubeconfigPath`, or `url` with a CA and a token. When absent,
       * the backend must run in a pod, whose service account is used.
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

import { JsonObject } from '@backstage/types';

/** The environment variables the standalone backend (./backend.ts) reads. */
export interface ChaosBackendEnv {
  /** HTTP port on 127.0.0.1. */
  PAVED_CHAOS_PORT: string;
  /** Static external-access token (subject `chaos`) for calling the API. */
  PAVED_CHAOS_TOKEN: string;
  /** The PostgreSQL server of the backend's own databases: `postgresql://user:password@host:port`. */
  PAVED_CHAOS_DATABASE_URL: string;
  /**
   * Prefix of the backend's databases (`<prefix>provisioning`); processes with the
   * same prefix share the provisioning queue.
   */
  PAVED_CHAOS_DATABASE_PREFIX: string;
  /** The PostgreSQL server databases are provisioned on, as a superuser URL. */
  PAVED_CHAOS_TARGET_URL: string;
  /** Kubeconfig of the identity that writes the Secrets (the portal's, in tests). */
  PAVED_CHAOS_KUBECONFIG: string;
  /** Optional JSON merged over the `provisioning.worker` defaults below. */
  PAVED_CHAOS_WORKER?: string;
  /**
   * Optional JSON of a {@link RabbitmqServer}: with it, the backend has the
   * `rabbitmq-queue` type too.
   */
  PAVED_CHAOS_RABBITMQ?: string;
  /**
   * Optional JSON of an {@link S3Server}: with it, the backend has the `s3-bucket`
   * type too.
   */
  PAVED_CHAOS_S3?: string;
  /**
   * Optional; `1`: the backend has the `environment` type (namespaces made with
   * {@link ChaosBackendEnv.PAVED_CHAOS_KUBECONFIG}).
   */
  PAVED_CHAOS_ENVIRONMENTS?: string;
  /**
   * Optional; `1`: the backend has the `workload` type (Score workloads deployed into
   * environments) and the `environment` type it deploys into.
   */
  PAVED_CHAOS_SCORE?: string;
}

/** A RabbitMQ broker queue requests are provisioned on, as its administrator. */
export interface RabbitmqServer {
  /** The management API, e.g. `http://127.0.0.1:15672`. */
  managementUrl: string;
  /** Where applications reach AMQP; 127.0.0.1 when absent. */
  amqpHost?: string;
  amqpPort: number;
  user: string;
  password: string;
}

/** A versitygw S3 gateway bucket requests are provisioned on, as its root account. */
export interface S3Server {
  /** The S3 API, e.g. `http://127.0.0.1:7070`. */
  endpoint: string;
  /** versitygw's admin API. */
  adminEndpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** Fast polling, short leases and backoffs: faults show up (and heal) in seconds. */
export const FAST_WORKER: JsonObject = {
  concurrency: 8,
  pollInterval: { milliseconds: 100 },
  leaseDuration: { seconds: 2 },
  observeInterval: { milliseconds: 200 },
  retry: {
    maxAttempts: 30,
    initialBackoff: { milliseconds: 200 },
    maxBackoff: { seconds: 1 },
  },
};

function required(env: NodeJS.ProcessEnv, name: keyof ChaosBackendEnv) {
  const value = env[name];
  if (!value) {
    throw new Error(`The chaos backend needs ${name} in its environment`);
  }
  return value;
}

function serverOf(url: string) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
}

/** `provisioning.rabbitmq`, when the environment names a broker. */
function rabbitmqSection(env: NodeJS.ProcessEnv, kubeconfigPath: string) {
  if (!env.PAVED_CHAOS_RABBITMQ) {
    return {};
  }
  const server = JSON.parse(env.PAVED_CHAOS_RABBITMQ) as RabbitmqServer;
  return {
    rabbitmq: {
      managementUrl: server.managementUrl,
      adminUser: server.user,
      adminPassword: server.password,
      amqpHost: server.amqpHost ?? '127.0.0.1',
      amqpPort: server.amqpPort,
      kubernetes: { kubeconfigPath },
    },
  };
}

/** `provisioning.s3`, when the environment names an S3 gateway. */
function s3Section(env: NodeJS.ProcessEnv, kubeconfigPath: string) {
  if (!env.PAVED_CHAOS_S3) {
    return {};
  }
  const server = JSON.parse(env.PAVED_CHAOS_S3) as S3Server;
  return {
    s3: {
      endpoint: server.endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      accessKeyId: server.accessKeyId,
      secretAccessKey: server.secretAccessKey,
      accessKeys: { type: 'versitygw', adminEndpoint: server.adminEndpoint },
      kubernetes: { kubeconfigPath },
    },
  };
}

/** Whether the backend has the `environment` type: asked for, or needed by workloads. */
export const wantsEnvironments = (env: NodeJS.ProcessEnv) =>
  env.PAVED_CHAOS_ENVIRONMENTS === '1' || env.PAVED_CHAOS_SCORE === '1';

/**
 * `provisioning.environments` and `provisioning.score`, when the environment asks for
 * them: both on the cluster the Secrets go to, as the same identity.
 */
function workloadSections(env: NodeJS.ProcessEnv, kubeconfigPath: string) {
  return {
    ...(wantsEnvironments(env)
      ? { environments: { kubernetes: { kubeconfigPath } } }
      : {}),
    ...(env.PAVED_CHAOS_SCORE === '1'
      ? { score: { kubernetes: { kubeconfigPath } } }
      : {}),
  };
}

/** The backend's whole configuration, from {@link ChaosBackendEnv}. */
export function configFromEnv(env: NodeJS.ProcessEnv): JsonObject {
  const port = Number(required(env, 'PAVED_CHAOS_PORT'));
  const database = serverOf(required(env, 'PAVED_CHAOS_DATABASE_URL'));
  const target = serverOf(required(env, 'PAVED_CHAOS_TARGET_URL'));
  const kubeconfigPath = required(env, 'PAVED_CHAOS_KUBECONFIG');
  const worker = env.PAVED_CHAOS_WORKER
    ? (JSON.parse(env.PAVED_CHAOS_WORKER) as JsonObject)
    : {};
  return {
    backend: {
      baseUrl: `http://127.0.0.1:${port}`,
      listen: { host: '127.0.0.1', port },
      database: {
        client: 'pg',
        prefix: required(env, 'PAVED_CHAOS_DATABASE_PREFIX'),
        connection: database,
      },
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: {
              token: required(env, 'PAVED_CHAOS_TOKEN'),
              subject: 'chaos',
            },
          },
        ],
      },
    },
    provisioning: {
      worker: { ...FAST_WORKER, ...worker },
      postgres: {
        targets: [
          {
            id: 'main',
            host: target.host,
            port: target.port,
            adminUser: target.user,
            adminPassword: target.password,
            sslMode: 'disable',
            default: true,
          },
        ],
        kubernetes: { kubeconfigPath },
      },
      ...rabbitmqSection(env, kubeconfigPath),
      ...s3Section(env, kubeconfigPath),
      ...workloadSections(env, kubeconfigPath),
    },
  };
}

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

/** The backend's whole configuration, from {@link ChaosBackendEnv}. */
export function configFromEnv(env: NodeJS.ProcessEnv): JsonObject {
  const port = Number(required(env, 'PAVED_CHAOS_PORT'));
  const database = serverOf(required(env, 'PAVED_CHAOS_DATABASE_URL'));
  const target = serverOf(required(env, 'PAVED_CHAOS_TARGET_URL'));
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
        kubernetes: {
          kubeconfigPath: required(env, 'PAVED_CHAOS_KUBECONFIG'),
        },
      },
    },
  };
}

/*
 * The servers a bench runs against, as named by the environment (bench/*.sh starts
 * throwaway ones), and the removal of what a run made on them.
 */
import { requireChaos } from './backend.mjs';

const { Client, escapeIdentifier: ident } = requireChaos('pg');
const k8s = await import(requireChaos.resolve('@kubernetes/client-node'));

const env = process.env;
const pgVar = Object.keys(env).find(k =>
  /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(k),
);

/** The Postgres server's superuser URL, without a database. */
export const PG = pgVar && env[pgVar].replace(/\/postgres$/, '');
export const adminKc = env.PAVED_TEST_KUBECONFIG;
export const portalKc = env.PAVED_TEST_PORTAL_KUBECONFIG;

const RABBITMQ_VARIABLES = [
  'PAVED_TEST_RABBITMQ_MANAGEMENT_URL',
  'PAVED_TEST_RABBITMQ_AMQP_PORT',
  'PAVED_TEST_RABBITMQ_USER',
  'PAVED_TEST_RABBITMQ_PASSWORD',
];
const S3_VARIABLES = [
  'PAVED_TEST_S3_ENDPOINT',
  'PAVED_TEST_S3_ADMIN_ENDPOINT',
  'PAVED_TEST_S3_ACCESS_KEY',
  'PAVED_TEST_S3_SECRET_KEY',
];

/** The variables that are not set, of Postgres, both kubeconfigs and those asked for. */
export function missingVariables({ rabbitmq = false, s3 = false } = {}) {
  return [
    !pgVar && 'BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING',
    !adminKc && 'PAVED_TEST_KUBECONFIG',
    !portalKc && 'PAVED_TEST_PORTAL_KUBECONFIG',
    ...(rabbitmq ? RABBITMQ_VARIABLES.filter(name => !env[name]) : []),
    ...(s3 ? S3_VARIABLES.filter(name => !env[name]) : []),
  ].filter(Boolean);
}

/** The broker, as packages/provisioning-chaos/src/config.ts takes it. */
export const rabbitmqServer = () => ({
  managementUrl: env.PAVED_TEST_RABBITMQ_MANAGEMENT_URL.replace(/\/+$/, ''),
  amqpPort: Number(env.PAVED_TEST_RABBITMQ_AMQP_PORT),
  user: env.PAVED_TEST_RABBITMQ_USER,
  password: env.PAVED_TEST_RABBITMQ_PASSWORD,
});

/** The S3 server, as packages/provisioning-chaos/src/config.ts takes it. */
export const s3Server = () => ({
  endpoint: env.PAVED_TEST_S3_ENDPOINT.replace(/\/+$/, ''),
  adminEndpoint: env.PAVED_TEST_S3_ADMIN_ENDPOINT.replace(/\/+$/, ''),
  accessKeyId: env.PAVED_TEST_S3_ACCESS_KEY,
  secretAccessKey: env.PAVED_TEST_S3_SECRET_KEY,
});

export const kubeConfig = file => {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(file);
  return kc;
};

/** One statement on a connection of its own, as the superuser; its rows. */
async function sql(text) {
  const client = new Client({ connectionString: `${PG}/postgres` });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/** A call of the broker's management API as the administrator (fetch, as the type's client). */
export function rabbitmqApi(server) {
  return async (method, resource, body) => {
    const response = await fetch(`${server.managementUrl}${resource}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(
          `${server.user}:${server.password}`,
        ).toString('base64')}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body && JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok && !(method === 'DELETE' && response.status === 404)) {
      throw new Error(`${method} ${resource}: HTTP ${response.status} ${text}`);
    }
    return text ? JSON.parse(text) : undefined;
  };
}

/** Drops the databases and roles whose names start with `run`. */
export async function dropRunDatabases(run) {
  for (const { datname } of await sql(
    `SELECT datname FROM pg_database WHERE datname LIKE '${run}%'`,
  )) {
    await sql(`DROP DATABASE IF EXISTS ${ident(datname)} WITH (FORCE)`);
  }
  for (const { rolname } of await sql(
    `SELECT rolname FROM pg_roles WHERE rolname LIKE '${run}%'`,
  )) {
    await sql(`DROP ROLE IF EXISTS ${ident(rolname)}`);
  }
}

/** Deletes the broker's vhosts and users whose names start with `run`. */
export async function deleteRunVhosts(rabbitmq, run) {
  for (const kind of ['vhosts', 'users']) {
    for (const { name } of (await rabbitmq('GET', `/api/${kind}`)) ?? []) {
      if (name.startsWith(run)) {
        await rabbitmq('DELETE', `/api/${kind}/${encodeURIComponent(name)}`);
      }
    }
  }
}

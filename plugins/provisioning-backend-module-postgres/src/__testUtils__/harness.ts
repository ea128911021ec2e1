import { CoreV1Api } from '@kubernetes/client-node';
import {
  loadKubeConfig,
  readSecret as readSecretWith,
  requireTestCluster,
  secretStatus as secretStatusWith,
} from '@paved/kube-test-utils';
import { RequestState } from '@paved/plugin-provisioning-common';
import {
  ReferencedRequest,
  SecretWriter,
} from '@paved/plugin-provisioning-node';
import { JsonObject } from '@backstage/types';
import { randomBytes } from 'node:crypto';
import { escapeIdentifier as ident } from 'pg';
import { mockServices } from '@backstage/backend-test-utils';
import { readPostgresConfig } from '../config';
import { PostgresAdmin } from '../PostgresAdmin';
import { requireTestPostgres, storedRequest } from '@paved/test-utils';
import { withClient } from './testPostgres';

/**
 * What tests that run a type's steps directly need: the test run's PostgreSQL server
 * as target `main`, Secrets written as the portal's RBAC-limited identity, and names
 * of their own (`RUN`) that cleanup() removes.
 */
export function stepHarness() {
  const pg = requireTestPostgres();
  const cluster = requireTestCluster();
  const RUN = `p${randomBytes(3).toString('hex')}`;
  const admin = new PostgresAdmin({
    id: 'main',
    title: 'Test server',
    host: pg.host,
    port: pg.port,
    adminUser: pg.user,
    adminPassword: pg.password,
    adminDatabase: 'postgres',
    connectionHost: pg.host,
    connectionPort: pg.port,
    sslMode: 'disable',
  });
  const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  const namespaces = new Set<string>();

  const sql = <T extends object = Record<string, unknown>>(
    text: string,
    params: unknown[] = [],
    database = 'postgres',
  ) =>
    withClient(
      {
        host: pg.host,
        port: pg.port,
        user: pg.user,
        password: pg.password,
        database,
      },
      async c => (await c.query(text, params)).rows as T[],
    );

  /** A stored request as the engine hands it to steps. */
  const stored = storedRequest;

  /** Another request as a lookup finds it. */
  const referenced = (
    request: ReturnType<typeof stored>,
    outputs: JsonObject,
    state: RequestState = 'ready',
  ): ReferencedRequest => ({ ...request, state, outputs });

  /** The Secret's data, decoded, read with the cluster admin's identity. */
  async function readSecret(name: string, namespace: string) {
    namespaces.add(namespace);
    return readSecretWith(cluster.kubeConfig, name, namespace);
  }

  const secretStatus = (name: string, namespace: string) =>
    secretStatusWith(cluster.kubeConfig, name, namespace);

  async function cleanup() {
    const dbs = await sql<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${RUN}%`],
    );
    for (const { datname } of dbs) {
      await sql(`DROP DATABASE IF EXISTS ${ident(datname)} WITH (FORCE)`);
    }
    const roles = await sql<{ rolname: string }>(
      'SELECT rolname FROM pg_roles WHERE rolname LIKE $1',
      [`${RUN}%`],
    );
    for (const { rolname } of roles) {
      await sql(`DROP ROLE IF EXISTS ${ident(rolname)}`);
    }
    for (const name of namespaces) {
      await core.deleteNamespace({ name }).catch(() => undefined);
    }
  }

  /** The module's config with the test server as its only target, `main`. */
  const config = readPostgresConfig(
    mockServices.rootConfig({
      data: {
        provisioning: {
          postgres: {
            targets: [
              {
                id: 'main',
                host: pg.host,
                port: pg.port,
                adminUser: pg.user,
                adminPassword: pg.password,
                sslMode: 'disable',
              },
            ],
            kubernetes: { kubeconfigPath: '/dev/null' },
          },
        },
      },
    }),
  )!;

  return {
    RUN,
    pg,
    config,
    admin,
    admins: new Map([['main', admin]]),
    secrets: new SecretWriter(loadKubeConfig(cluster.portalKubeconfigPath)),
    sql,
    stored,
    referenced,
    readSecret,
    secretStatus,
    /** Namespaces to delete at the end. */
    namespaces,
    cleanup,
  };
}

import { Config } from '@backstage/config';
import {
  KubernetesAccess,
  readKubernetesSection,
} from '@paved/kubernetes-access';
import { readDeletionRetention } from '@paved/plugin-provisioning-node';

export type { KubernetesAccess };

const ROOT = 'provisioning.postgres';
const TARGET_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SSL_MODES = ['disable', 'require', 'verify-full'] as const;

/** How the admin connection is encrypted. @public */
export type SslMode = (typeof SSL_MODES)[number];

/** A PostgreSQL server databases are made on. @public */
export interface PostgresTarget {
  id: string;
  title: string;
  host: string;
  port: number;
  adminUser: string;
  adminPassword: string;
  adminDatabase: string;
  /** What applications connect to (their Secret's host and port). */
  connectionHost: string;
  connectionPort: number;
  sslMode: SslMode;
  caFile?: string;
}

/** `provisioning.postgres`, validated and with defaults. @public */
export interface PostgresModuleConfig {
  targets: PostgresTarget[];
  defaultTargetId: string;
  deletionRetentionMs: number;
  defaultConnectionLimit: number;
  kubernetes: KubernetesAccess;
}

/** Connection limits a request may ask for. */
export const CONNECTION_LIMIT = { min: 1, max: 200 };

function invalid(key: string, problem: string): Error {
  return new Error(`Invalid config: ${ROOT}.${key}: ${problem}`);
}

/** `host:port`, `[v6]:port` or a bare host. */
function parseHostPort(
  value: string,
  fallbackPort: number,
): { host: string; port: number } | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]\s]+))(?::(\d{1,5}))?$/.exec(value);
  if (!match) {
    return undefined;
  }
  const port = match[3] ? Number(match[3]) : fallbackPort;
  return port >= 1 && port <= 65535
    ? { host: match[1] ?? match[2], port }
    : undefined;
}

function readTarget(
  config: Config,
  index: number,
): PostgresTarget & {
  isDefault: boolean;
} {
  const key = (name: string) => `targets[${index}].${name}`;
  const id = config.getString('id');
  if (!TARGET_ID.test(id)) {
    throw invalid(
      key('id'),
      `'${id}' must be lowercase letters, digits and dashes, e.g. 'shared-eu'`,
    );
  }
  const port = config.getOptionalNumber('port') ?? 5432;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw invalid(key('port'), `${port} is not a TCP port`);
  }
  const host = config.getString('host');
  const connectionHost = config.getOptionalString('connectionHost');
  const connection = connectionHost
    ? parseHostPort(connectionHost, port)
    : { host, port };
  if (!connection) {
    throw invalid(
      key('connectionHost'),
      `'${connectionHost}' is not host:port, e.g. orders-db.postgres.svc:5432`,
    );
  }
  const sslMode = (config.getOptionalString('sslMode') ??
    'verify-full') as SslMode;
  if (!SSL_MODES.includes(sslMode)) {
    throw invalid(
      key('sslMode'),
      `'${sslMode}' must be one of ${SSL_MODES.join(', ')}`,
    );
  }
  return {
    id,
    title: config.getOptionalString('title') ?? id,
    host,
    port,
    adminUser: config.getString('adminUser'),
    adminPassword: config.getString('adminPassword'),
    adminDatabase: config.getOptionalString('adminDatabase') ?? 'postgres',
    connectionHost: connection.host,
    connectionPort: connection.port,
    sslMode,
    caFile: config.getOptionalString('caFile'),
    isDefault: config.getOptionalBoolean('default') ?? false,
  };
}

/**
 * Reads `provisioning.postgres`; undefined when the section is absent. Throws an error
 * naming the key for anything invalid, so that the backend does not start with it.
 *
 * @public
 */
export function readPostgresConfig(
  root: Config,
): PostgresModuleConfig | undefined {
  const config = root.getOptionalConfig(ROOT);
  if (!config) {
    return undefined;
  }
  const read = config.getOptionalConfigArray('targets') ?? [];
  if (read.length === 0) {
    throw invalid('targets', 'must list at least one PostgreSQL server');
  }
  const targets = read.map(readTarget);
  targets.forEach((target, index) => {
    const first = targets.findIndex(other => other.id === target.id);
    if (first !== index) {
      throw invalid(
        `targets[${index}].id`,
        `'${target.id}' is already the id of targets[${first}]`,
      );
    }
  });
  const defaults = targets.filter(target => target.isDefault);
  if (defaults.length > 1) {
    throw invalid(
      `targets[${targets.indexOf(defaults[1])}].default`,
      `only one target may be the default, and '${defaults[0].id}' already is`,
    );
  }

  const deletionRetentionMs = readDeletionRetention(config, ROOT);
  const defaultConnectionLimit =
    config.getOptionalNumber('defaultConnectionLimit') ?? 10;
  if (
    !Number.isInteger(defaultConnectionLimit) ||
    defaultConnectionLimit < CONNECTION_LIMIT.min ||
    defaultConnectionLimit > CONNECTION_LIMIT.max
  ) {
    throw invalid(
      'defaultConnectionLimit',
      `${defaultConnectionLimit} must be a whole number from ${CONNECTION_LIMIT.min} to ${CONNECTION_LIMIT.max}`,
    );
  }

  return {
    targets: targets.map(({ isDefault: _, ...target }) => target),
    defaultTargetId: (defaults[0] ?? targets[0]).id,
    deletionRetentionMs,
    defaultConnectionLimit,
    kubernetes: readKubernetesSection(config, ROOT),
  };
}

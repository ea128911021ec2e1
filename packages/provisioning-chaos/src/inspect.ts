import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { Client } from 'pg';

/** What exists for one request, found by its markers rather than by name. */
export interface RequestFootprint {
  /** Roles commented `paved:request:<id>`. */
  roles: string[];
  /** Databases commented `paved:request:<id>`. */
  databases: string[];
  /** Secrets labelled `paved.dev/request-id: <id>`, as `namespace/name`. */
  secrets: string[];
}

const MARKER = /^paved:request:(.+)$/;

/** Connects, runs `fn`, disconnects. */
export async function withClient<T>(
  connectionString: string,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ connectionString });
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Roles, databases (on the target server, as its superuser) and Secrets (as a
 * cluster admin) per request id, for the given ids.
 */
export async function footprints(
  targetUrl: string,
  admin: KubeConfig,
  requestIds: string[],
): Promise<Map<string, RequestFootprint>> {
  const result = new Map<string, RequestFootprint>(
    requestIds.map(id => [id, { roles: [], databases: [], secrets: [] }]),
  );
  const marked = await withClient(targetUrl, async client => {
    const roles = await client.query<{ name: string; comment: string | null }>(
      `SELECT rolname AS name, shobj_description(oid, 'pg_authid') AS comment FROM pg_roles`,
    );
    const databases = await client.query<{
      name: string;
      comment: string | null;
    }>(
      `SELECT datname AS name, shobj_description(oid, 'pg_database') AS comment FROM pg_database`,
    );
    return { roles: roles.rows, databases: databases.rows };
  });
  for (const kind of ['roles', 'databases'] as const) {
    for (const { name, comment } of marked[kind]) {
      const id = MARKER.exec(comment ?? '')?.[1];
      const entry = id ? result.get(id) : undefined;
      entry?.[kind].push(name);
    }
  }
  const secrets = await secretsByRequest(admin, requestIds);
  for (const [id, names] of secrets) {
    result.get(id)!.secrets.push(...names);
  }
  return result;
}

/**
 * The Secrets Paved manages, as `namespace/name`, per request id (their
 * `paved.dev/request-id` label), for the given ids; read as a cluster admin.
 */
export async function secretsByRequest(
  admin: KubeConfig,
  requestIds: string[],
): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>(requestIds.map(id => [id, []]));
  const secrets = await admin
    .makeApiClient(CoreV1Api)
    .listSecretForAllNamespaces({
      labelSelector: 'app.kubernetes.io/managed-by=paved',
    });
  for (const secret of secrets.items) {
    const id = secret.metadata?.labels?.['paved.dev/request-id'];
    result
      .get(id ?? '')
      ?.push(`${secret.metadata?.namespace}/${secret.metadata?.name}`);
  }
  return result;
}

/** A Secret's data, decoded. */
export async function readSecretData(
  admin: KubeConfig,
  namespace: string,
  name: string,
): Promise<Record<string, string>> {
  const secret = await admin
    .makeApiClient(CoreV1Api)
    .readNamespacedSecret({ namespace, name });
  return Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([key, value]) => [
      key,
      Buffer.from(value, 'base64').toString('utf8'),
    ]),
  );
}

/**
 * Logs in with the credentials in a request's Secret (host and port as the Secret
 * says) and returns the user the server says we are.
 */
export async function loginWithSecret(
  admin: KubeConfig,
  namespace: string,
  name: string,
): Promise<string> {
  const { uri } = await readSecretData(admin, namespace, name);
  return withClient(uri, async client => {
    const { rows } = await client.query<{ user: string }>(
      'SELECT current_user AS user',
    );
    return rows[0].user;
  });
}

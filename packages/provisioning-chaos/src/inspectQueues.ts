import { KubeConfig } from '@kubernetes/client-node';
import { connect } from 'amqplib';
import { RabbitmqServer } from './config';
import { readSecretData, secretsByRequest } from './inspect';

/** What exists on a broker (and in Kubernetes) for one queue request. */
export interface QueueFootprint {
  /** Vhosts whose description is the request's marker, `paved:request:<id>`. */
  vhosts: string[];
  /**
   * Users with a permission on one of those vhosts, the administrator aside (the
   * broker gives the user that makes a vhost every permission on it).
   */
  users: string[];
  /** Queues in those vhosts, as `vhost/queue`. */
  queues: string[];
  /** Secrets labelled `paved.dev/request-id: <id>`, as `namespace/name`. */
  secrets: string[];
}

const MARKER = /^paved:request:(.+)$/;

/**
 * A call of the management API as the administrator; written here rather than taken
 * from the module under test, so that the checks do not share its bugs.
 */
async function management(
  server: RabbitmqServer,
  method: 'GET' | 'DELETE',
  path: string,
): Promise<Response> {
  const response = await fetch(`${server.managementUrl}${path}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(
        `${server.user}:${server.password}`,
      ).toString('base64')}`,
    },
  });
  if (!response.ok && !(method === 'DELETE' && response.status === 404)) {
    throw new Error(`${method} ${path}: HTTP ${response.status}`);
  }
  return response;
}

async function managementGet<T>(server: RabbitmqServer, path: string) {
  return (await (await management(server, 'GET', path)).json()) as T;
}

/** Deletes the vhosts and users whose names start with `prefix` (test clean-up). */
export async function removeVhostsAndUsers(
  server: RabbitmqServer,
  prefix: string,
): Promise<void> {
  const vhosts = await managementGet<Array<{ name: string }>>(
    server,
    '/api/vhosts',
  );
  for (const { name } of vhosts.filter(v => v.name.startsWith(prefix))) {
    await management(
      server,
      'DELETE',
      `/api/vhosts/${encodeURIComponent(name)}`,
    );
  }
  for (const name of await usersNamed(server, prefix)) {
    await management(
      server,
      'DELETE',
      `/api/users/${encodeURIComponent(name)}`,
    );
  }
}

/** Every user of the broker whose name starts with `prefix`. */
export async function usersNamed(
  server: RabbitmqServer,
  prefix: string,
): Promise<string[]> {
  const users = await managementGet<Array<{ name: string }>>(
    server,
    '/api/users',
  );
  return users.map(u => u.name).filter(name => name.startsWith(prefix));
}

/** Vhosts, their users and queues (on the broker) and Secrets, per request id. */
export async function queueFootprints(
  server: RabbitmqServer,
  admin: KubeConfig,
  requestIds: string[],
): Promise<Map<string, QueueFootprint>> {
  const result = new Map<string, QueueFootprint>(
    requestIds.map(id => [
      id,
      { vhosts: [], users: [], queues: [], secrets: [] },
    ]),
  );
  const [vhosts, permissions, queues] = await Promise.all([
    managementGet<Array<{ name: string; description?: string }>>(
      server,
      '/api/vhosts',
    ),
    managementGet<Array<{ vhost: string; user: string }>>(
      server,
      '/api/permissions',
    ),
    managementGet<Array<{ vhost: string; name: string }>>(
      server,
      '/api/queues',
    ),
  ]);
  const requestOfVhost = new Map<string, QueueFootprint>();
  for (const vhost of vhosts) {
    const id = MARKER.exec(vhost.description ?? '')?.[1];
    const entry = id ? result.get(id) : undefined;
    if (entry) {
      entry.vhosts.push(vhost.name);
      requestOfVhost.set(vhost.name, entry);
    }
  }
  for (const permission of permissions) {
    if (permission.user !== server.user) {
      requestOfVhost.get(permission.vhost)?.users.push(permission.user);
    }
  }
  for (const queue of queues) {
    requestOfVhost
      .get(queue.vhost)
      ?.queues.push(`${queue.vhost}/${queue.name}`);
  }
  for (const [id, names] of await secretsByRequest(admin, requestIds)) {
    result.get(id)!.secrets.push(...names);
  }
  return result;
}

/**
 * Connects with the `uri` of a queue request's Secret, publishes a message to `queue`
 * with a publisher confirm, takes it back and returns its text.
 */
export async function publishWithSecret(
  admin: KubeConfig,
  secret: { namespace: string; name: string },
  queue: string,
): Promise<string> {
  const { uri } = await readSecretData(admin, secret.namespace, secret.name);
  const connection = await connect(uri);
  try {
    const channel = await connection.createConfirmChannel();
    const text = `hello ${secret.name}`;
    channel.sendToQueue(queue, Buffer.from(text), { persistent: true });
    await channel.waitForConfirms();
    const message = await channel.get(queue, { noAck: true });
    await channel.close();
    return message ? message.content.toString('utf8') : '';
  } finally {
    await connection.close().catch(() => undefined);
  }
}

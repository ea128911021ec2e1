/** What the broker says about itself (`GET /api/overview`), in part. */
export interface BrokerOverview {
  rabbitmq_version: string;
  cluster_name?: string;
}

/** A virtual host, in part. */
export interface VhostInfo {
  name: string;
  description?: string;
  tags?: string[];
}

/** A user, in part (the management API never returns passwords, only hashes). */
export interface UserInfo {
  name: string;
  tags: string[] | string;
}

/** A user's permissions on a vhost: regular expressions of resource names. */
export interface Permissions {
  configure: string;
  write: string;
  read: string;
}

/** A policy: a definition applied to the queues (or exchanges) whose names match. */
export interface Policy {
  pattern: string;
  definition: Record<string, string | number>;
  priority: number;
  'apply-to': 'queues' | 'exchanges' | 'all';
}

/** A queue with the figures the management API keeps, in part. */
export interface QueueInfo {
  name: string;
  durable: boolean;
  messages_ready?: number;
  messages_unacknowledged?: number;
  consumers?: number;
  /** Absent until a message went through the queue. */
  message_stats?: {
    publish_details?: { rate: number };
    deliver_get_details?: { rate: number };
  };
}

/** A call the management API refused, with its status and the broker's reason. */
export class RabbitmqManagementError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'RabbitmqManagementError';
  }
}

/** How long one call may take. */
const CALL_TIMEOUT_MS = 15_000;

/**
 * A typed client of RabbitMQ's management HTTP API (the rabbitmq_management plugin),
 * as the broker's administrator, for what the `rabbitmq-queue` type needs. Every name
 * in a path is encoded, so that no vhost, user or queue name can address another
 * resource. Errors carry the method, the path and the broker's reason, never the
 * credentials or a request body (a user's body has its password hash).
 */
export class RabbitmqManagement {
  private readonly authorization: string;

  constructor(
    private readonly options: {
      /** e.g. `http://127.0.0.1:15672`, without a trailing slash. */
      url: string;
      user: string;
      password: string;
    },
  ) {
    this.authorization = `Basic ${Buffer.from(
      `${options.user}:${options.password}`,
    ).toString('base64')}`;
  }

  overview(signal?: AbortSignal): Promise<BrokerOverview> {
    return this.get<BrokerOverview>('/api/overview', signal).then(found => {
      if (!found) {
        throw new RabbitmqManagementError(404, 'GET /api/overview: not found');
      }
      return found;
    });
  }

  getVhost(name: string, signal?: AbortSignal) {
    return this.get<VhostInfo>(path`/api/vhosts/${name}`, signal);
  }

  /** Creates the vhost, or updates its description and tags. */
  async putVhost(
    name: string,
    body: { description: string; tags: string[] },
    signal?: AbortSignal,
  ): Promise<void> {
    await this.call('PUT', path`/api/vhosts/${name}`, {
      body: { description: body.description, tags: body.tags.join(',') },
      signal,
    });
  }

  /** Deletes the vhost and everything in it (queues, permissions, policies). */
  deleteVhost(name: string, signal?: AbortSignal) {
    return this.delete(path`/api/vhosts/${name}`, signal);
  }

  getUser(name: string, signal?: AbortSignal) {
    return this.get<UserInfo>(path`/api/users/${name}`, signal);
  }

  /** Creates the user, or replaces its password hash and tags. */
  async putUser(
    name: string,
    body: { passwordHash: string; hashingAlgorithm: string; tags: string[] },
    signal?: AbortSignal,
  ): Promise<void> {
    await this.call('PUT', path`/api/users/${name}`, {
      body: {
        password_hash: body.passwordHash,
        hashing_algorithm: body.hashingAlgorithm,
        tags: body.tags.join(','),
      },
      signal,
    });
  }

  deleteUser(name: string, signal?: AbortSignal) {
    return this.delete(path`/api/users/${name}`, signal);
  }

  getPermissions(vhost: string, user: string, signal?: AbortSignal) {
    return this.get<Permissions>(
      path`/api/permissions/${vhost}/${user}`,
      signal,
    );
  }

  async putPermissions(
    vhost: string,
    user: string,
    permissions: Permissions,
    signal?: AbortSignal,
  ): Promise<void> {
    await this.call('PUT', path`/api/permissions/${vhost}/${user}`, {
      body: permissions,
      signal,
    });
  }

  deletePermissions(vhost: string, user: string, signal?: AbortSignal) {
    return this.delete(path`/api/permissions/${vhost}/${user}`, signal);
  }

  /** The user's permissions on every vhost. */
  async listUserPermissions(
    user: string,
    signal?: AbortSignal,
  ): Promise<Array<Permissions & { vhost: string }>> {
    return (
      (await this.get<Array<Permissions & { vhost: string }>>(
        path`/api/users/${user}/permissions`,
        signal,
      )) ?? []
    );
  }

  getQueue(vhost: string, name: string, signal?: AbortSignal) {
    return this.get<QueueInfo>(path`/api/queues/${vhost}/${name}`, signal);
  }

  /** The vhost's queues with their figures; none when the vhost does not exist. */
  async listQueues(vhost: string, signal?: AbortSignal): Promise<QueueInfo[]> {
    return (
      (await this.get<QueueInfo[]>(path`/api/queues/${vhost}`, signal)) ?? []
    );
  }

  /** Declares a queue; one that exists with the same properties is left as it is. */
  async putQueue(
    vhost: string,
    name: string,
    body: { durable: boolean },
    signal?: AbortSignal,
  ): Promise<void> {
    await this.call('PUT', path`/api/queues/${vhost}/${name}`, {
      body: { durable: body.durable, auto_delete: false, arguments: {} },
      signal,
    });
  }

  /** Removes every ready message of the queue. */
  async purgeQueue(
    vhost: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<'purged' | 'absent'> {
    return (await this.delete(
      path`/api/queues/${vhost}/${name}/contents`,
      signal,
    )) === 'deleted'
      ? 'purged'
      : 'absent';
  }

  getPolicy(vhost: string, name: string, signal?: AbortSignal) {
    return this.get<Policy & { name: string }>(
      path`/api/policies/${vhost}/${name}`,
      signal,
    );
  }

  async putPolicy(
    vhost: string,
    name: string,
    policy: Policy,
    signal?: AbortSignal,
  ): Promise<void> {
    await this.call('PUT', path`/api/policies/${vhost}/${name}`, {
      body: policy,
      signal,
    });
  }

  deletePolicy(vhost: string, name: string, signal?: AbortSignal) {
    return this.delete(path`/api/policies/${vhost}/${name}`, signal);
  }

  /** The vhost's policies; none when the vhost does not exist. */
  async listPolicies(
    vhost: string,
    signal?: AbortSignal,
  ): Promise<Array<Policy & { name: string }>> {
    return (
      (await this.get<Array<Policy & { name: string }>>(
        path`/api/policies/${vhost}`,
        signal,
      )) ?? []
    );
  }

  /** A GET; undefined when the object does not exist (404). */
  private async get<T>(
    resource: string,
    signal?: AbortSignal,
  ): Promise<T | undefined> {
    const response = await this.call('GET', resource, {
      signal,
      allow404: true,
    });
    return response === undefined ? undefined : (response as T);
  }

  private async delete(
    resource: string,
    signal?: AbortSignal,
  ): Promise<'deleted' | 'absent'> {
    const response = await this.call('DELETE', resource, {
      signal,
      allow404: true,
    });
    return response === undefined ? 'absent' : 'deleted';
  }

  /**
   * One call; resolves to the parsed body (null without one), or undefined for a 404
   * when `allow404`.
   */
  private async call(
    method: 'GET' | 'PUT' | 'DELETE',
    resource: string,
    options: { body?: object; signal?: AbortSignal; allow404?: boolean },
  ): Promise<unknown> {
    const what = `${method} ${resource}`;
    const timeout = AbortSignal.timeout(CALL_TIMEOUT_MS);
    let response: Response;
    try {
      response = await fetch(`${this.options.url}${resource}`, {
        method,
        headers: {
          authorization: this.authorization,
          ...(options.body ? { 'content-type': 'application/json' } : {}),
        },
        body: options.body ? JSON.stringify(options.body) : undefined,
        signal: options.signal
          ? AbortSignal.any([options.signal, timeout])
          : timeout,
      });
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      throw new RabbitmqManagementError(
        0,
        `RabbitMQ management API: ${what} failed: ${(error as Error).message}${
          cause ? ` (${cause})` : ''
        }`,
      );
    }
    const text = await response.text();
    if (response.status === 404 && options.allow404) {
      return undefined;
    }
    if (!response.ok) {
      throw new RabbitmqManagementError(
        response.status,
        `RabbitMQ management API: ${what} answered ${
          response.status
        }: ${reasonOf(text)}`,
      );
    }
    return text ? JSON.parse(text) : null;
  }
}

/** The broker's reason from an error body (`{"error": …, "reason": …}`). */
function reasonOf(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; reason?: unknown };
    return String(body.reason ?? body.error ?? text).slice(0, 300);
  } catch {
    return text.slice(0, 300) || 'no reason given';
  }
}

/**
 * A path whose interpolated names are each one encoded segment: `/` is `%2F`, and
 * `.` or `..` are escaped too, which URL parsing would otherwise resolve as segments.
 */
function path(strings: TemplateStringsArray, ...names: string[]): string {
  const segment = (name: string) =>
    /^\.+$/.test(name) ? name.replace(/\./g, '%2E') : encodeURIComponent(name);
  return strings.reduce(
    (joined, part, index) =>
      `${joined}${part}${index < names.length ? segment(names[index]) : ''}`,
    '',
  );
}

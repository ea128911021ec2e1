import { requireTestRabbitmq } from '@paved/test-utils';
import * as amqp from 'amqplib';
import { randomBytes } from 'node:crypto';
import { RabbitmqManagement } from '../RabbitmqManagement';

/**
 * The test run's RabbitMQ broker as its administrator sees it, with names of this
 * test file's own (`RUN`), and what an application does with a Secret's `uri`.
 * Fails (never skips) without the broker.
 */
export function testBroker() {
  const broker = requireTestRabbitmq();
  const RUN = `q${randomBytes(3).toString('hex')}`;
  const { amqpHost } = broker;
  const management = new RabbitmqManagement({
    url: broker.managementUrl.replace(/\/+$/, ''),
    user: broker.user,
    password: broker.password,
  });

  /** A GET of the management API as `user` (the administrator if absent). */
  async function api(
    path: string,
    as: { user: string; password: string } = broker,
  ): Promise<{ status: number; body: any }> {
    const response = await fetch(`${broker.managementUrl}${path}`, {
      headers: {
        authorization: `Basic ${Buffer.from(
          `${as.user}:${as.password}`,
        ).toString('base64')}`,
      },
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  /** The vhosts and users whose names start with this run's prefix. */
  async function leftovers() {
    const vhosts = (await api('/api/vhosts')).body as Array<{ name: string }>;
    const users = (await api('/api/users')).body as Array<{ name: string }>;
    return {
      vhosts: vhosts.map(v => v.name).filter(n => n.startsWith(RUN)),
      users: users.map(u => u.name).filter(n => n.startsWith(RUN)),
    };
  }

  async function cleanup() {
    const { vhosts, users } = await leftovers();
    for (const vhost of vhosts) {
      await management.deleteVhost(vhost);
    }
    for (const user of users) {
      await management.deleteUser(user);
    }
  }

  /** Connects with a Secret's uri (or any AMQP URI); the caller closes it. */
  async function connect(uri: string) {
    const connection = await amqp.connect(uri);
    // A refused operation closes the channel and emits errors; the test checks them.
    connection.on('error', () => {});
    return connection;
  }

  /** Runs `fn` on a channel of a new connection, then closes both. */
  async function withChannel<T>(
    uri: string,
    fn: (channel: amqp.Channel) => Promise<T>,
  ): Promise<T> {
    const connection = await connect(uri);
    try {
      const channel = await connection.createChannel();
      channel.on('error', () => {});
      return await fn(channel);
    } finally {
      await connection.close().catch(() => {});
    }
  }

  /** The error an AMQP step fails with (its message), or 'ok'. */
  async function amqpError(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
      return 'ok';
    } catch (error) {
      return (error as Error).message;
    }
  }

  /** Publishes `count` messages to `queue` (default exchange) and waits for the broker's confirms. */
  async function publish(uri: string, queue: string, count: number) {
    const connection = await connect(uri);
    try {
      const channel = await connection.createConfirmChannel();
      for (let i = 0; i < count; i++) {
        channel.sendToQueue(queue, Buffer.from(`message ${i}`), {
          persistent: true,
        });
      }
      await channel.waitForConfirms();
    } finally {
      await connection.close().catch(() => {});
    }
  }

  /** Messages ready in a queue, live (not the management API's sampled figures). */
  const messageCount = (uri: string, queue: string) =>
    withChannel(
      uri,
      async channel => (await channel.checkQueue(queue)).messageCount,
    );

  /** An AMQP URI for `vhost` with another user's credentials. */
  const uriFor = (user: string, password: string, vhost: string) =>
    `amqp://${encodeURIComponent(user)}:${encodeURIComponent(
      password,
    )}@${amqpHost}:${broker.amqpPort}/${encodeURIComponent(vhost)}`;

  return {
    RUN,
    broker,
    amqpHost,
    management,
    api,
    leftovers,
    cleanup,
    connect,
    withChannel,
    amqpError,
    publish,
    messageCount,
    uriFor,
    /** `provisioning.rabbitmq` for the test broker (kubernetes to be added). */
    config: {
      managementUrl: broker.managementUrl,
      adminUser: broker.user,
      adminPassword: broker.password,
      amqpHost,
      amqpPort: broker.amqpPort,
    },
  };
}

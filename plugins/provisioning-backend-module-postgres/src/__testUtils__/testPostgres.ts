import { Client, ClientConfig } from 'pg';

/** Connects, runs `fn`, disconnects. */
export async function withClient<T>(
  config: ClientConfig | string,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client(
    typeof config === 'string' ? { connectionString: config } : config,
  );
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** The SQLSTATE a promise fails with, or 'ok'. */
export async function sqlState(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return String(
      (error as { code?: unknown }).code ?? (error as Error).message,
    );
  }
}

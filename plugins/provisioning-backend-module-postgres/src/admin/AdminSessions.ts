import { Client, ClientConfig } from 'pg';
import { PostgresTarget } from '../config';
import { Query } from '../pgCatalog';

/** Connections to one target server as its admin; what every admin concept uses. */
export interface AdminSessions {
  readonly target: PostgresTarget;
  /** Runs `fn` on a connection of its own to `database` (the admin database by default). */
  session<T>(
    fn: (query: Query) => Promise<T>,
    options?: { database?: string; signal?: AbortSignal },
  ): Promise<T>;
}

/**
 * {@link AdminSessions} with `pg`: one client per session, closed afterwards, TLS as
 * the target's `sslMode` says (verified against `ca` unless `require` or `disable`).
 */
export class PgAdminSessions implements AdminSessions {
  constructor(readonly target: PostgresTarget, private readonly ca?: string) {}

  async session<T>(
    fn: (query: Query) => Promise<T>,
    options: { database?: string; signal?: AbortSignal } = {},
  ): Promise<T> {
    const client = new Client(
      this.clientConfig(options.database ?? this.target.adminDatabase),
    );
    // A server that ends the connection must not take the backend down with it.
    client.on('error', () => {});
    await client.connect();
    const query: Query = async (sql, params) => {
      options.signal?.throwIfAborted();
      const result = await client.query(sql, params);
      return result.rows;
    };
    try {
      return await fn(query);
    } finally {
      await client.end().catch(() => {});
    }
  }

  private clientConfig(database: string): ClientConfig {
    const { target } = this;
    return {
      host: target.host,
      port: target.port,
      user: target.adminUser,
      password: target.adminPassword,
      database,
      application_name: 'paved-provisioning',
      connectionTimeoutMillis: 15_000,
      statement_timeout: 60_000,
      ssl: this.ssl(),
    };
  }

  private ssl(): ClientConfig['ssl'] {
    switch (this.target.sslMode) {
      case 'disable':
        return false;
      case 'require':
        return { rejectUnauthorized: false };
      default:
        return {
          rejectUnauthorized: true,
          ca: this.ca,
          servername: this.target.host,
        };
    }
  }
}

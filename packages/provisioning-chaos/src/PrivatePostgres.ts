import { runScriptLib, shellWord } from './scriptLib';

/**
 * A PostgreSQL server of its own, through scripts/lib/postgres.sh (pg_up/pg_down/
 * pg_purge), that a test may stop and start again: on the same port, so that a
 * backend configured with its URL reaches it again.
 */
export class PrivatePostgres {
  private port?: number;

  constructor(readonly dir: string) {}

  private bash(script: string): Promise<string> {
    return runScriptLib(['postgres'], `ensure_postgres\n${script}`);
  }

  /** Starts it (initialising on first use); resolves to its superuser URL. */
  async up(): Promise<string> {
    // On a restart, the same port: pick_port is what pg_up asks for one.
    const keepPort = this.port ? `pick_port() { echo ${this.port}; }` : '';
    const url = await this.bash(
      `${keepPort}
pg_up ${shellWord(this.dir)} fast
echo "$PAVED_PG_URL"`,
    );
    this.port = Number(new URL(url).port);
    return url.replace(/\/postgres$/, '');
  }

  /** A fast shutdown: connections end, the port stops answering. */
  async down(): Promise<void> {
    await this.bash(`pg_down ${shellWord(this.dir)}`);
  }

  /** Stops it and deletes its data. */
  async purge(): Promise<void> {
    await this.bash(`pg_purge ${shellWord(this.dir)}`);
  }
}

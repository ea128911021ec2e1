import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root (scripts/lib/postgres.sh lives there). */
const ROOT = resolvePackagePath('@paved/provisioning-chaos', '../..');

/**
 * A PostgreSQL server of its own, through scripts/lib/postgres.sh (pg_up/pg_down/
 * pg_purge), that a test may stop and start again: on the same port, so that a
 * backend configured with its URL reaches it again.
 */
export class PrivatePostgres {
  private port?: number;

  constructor(readonly dir: string) {}

  private async bash(script: string): Promise<string> {
    const { stdout } = await run(
      'bash',
      [
        '-c',
        `set -euo pipefail
export PAVED_ROOT=${JSON.stringify(ROOT)}
export PAVED_HOME=\${PAVED_HOME:-$PAVED_ROOT/.paved}
cd "$PAVED_ROOT"
source scripts/lib/bootstrap.sh
source scripts/lib/ports.sh
source scripts/lib/postgres.sh
ensure_postgres
${script}`,
      ],
      { env: process.env, timeout: 120_000 },
    );
    return stdout.trim();
  }

  /** Starts it (initialising on first use); resolves to its superuser URL. */
  async up(): Promise<string> {
    // On a restart, the same port: pick_port is what pg_up asks for one.
    const keepPort = this.port ? `pick_port() { echo ${this.port}; }` : '';
    const url = await this.bash(
      `${keepPort}
pg_up ${JSON.stringify(this.dir)} fast
echo "$PAVED_PG_URL"`,
    );
    this.port = Number(new URL(url).port);
    return url.replace(/\/postgres$/, '');
  }

  /** A fast shutdown: connections end, the port stops answering. */
  async down(): Promise<void> {
    await this.bash(`pg_down ${JSON.stringify(this.dir)}`);
  }

  /** Stops it and deletes its data. */
  async purge(): Promise<void> {
    await this.bash(`pg_purge ${JSON.stringify(this.dir)}`);
  }
}

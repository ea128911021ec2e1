import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { ChaosBackendEnv } from './config';

/** The standalone backend's entry point (./backend.ts). */
export const BACKEND_ENTRY = resolvePackagePath(
  '@paved/provisioning-chaos',
  'src/backend.ts',
);

/** What a test or benchmark passes to start a backend process. */
export type BackendOptions = Omit<
  ChaosBackendEnv,
  'PAVED_CHAOS_PORT' | 'PAVED_CHAOS_TOKEN'
> & {
  /** Where stdout and stderr go (appended). */
  logFile: string;
};

/** A free TCP port on 127.0.0.1, as the OS hands it out. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * One backend process (./backend.ts) on its own port, run by the same Node as the
 * caller with Backstage's TypeScript loader. `kill` is a SIGKILL: nothing runs on the
 * way out, exactly like a crashed or OOM-killed pod; `restart` starts it again on the
 * same port with the same configuration.
 */
export class BackendProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;

  private constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
    readonly port: number,
    readonly token: string,
  ) {}

  static async start(options: BackendOptions): Promise<BackendProcess> {
    const { logFile, ...rest } = options;
    const port = await freePort();
    const token = randomBytes(16).toString('hex');
    const backend = new BackendProcess(
      {
        ...process.env,
        ...Object.fromEntries(
          Object.entries(rest).filter(([, value]) => value !== undefined),
        ),
        PAVED_CHAOS_PORT: String(port),
        PAVED_CHAOS_TOKEN: token,
        NODE_ENV: 'production',
        LOG_LEVEL: process.env.PAVED_CHAOS_LOG_LEVEL ?? 'warn',
      },
      logFile,
      port,
      token,
    );
    await backend.restart();
    return backend;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the process (again) and waits until the backend reports ready. */
  async restart(timeoutMs = 90_000): Promise<void> {
    if (this.child) {
      throw new Error(`Backend on port ${this.port} is still running`);
    }
    fs.mkdirSync(path.dirname(this.logFile), { recursive: true });
    const log = fs.openSync(this.logFile, 'a');
    const child = spawn(
      process.execPath,
      [
        '--enable-source-maps',
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
        BACKEND_ENTRY,
      ],
      {
        env: this.env,
        stdio: ['ignore', log, log],
        cwd: path.dirname(BACKEND_ENTRY),
      },
    );
    fs.closeSync(log);
    this.child = child;
    this.exited = new Promise(resolve => child.once('exit', () => resolve()));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        this.child = undefined;
        throw new Error(
          `Backend exited (${
            child.exitCode ?? child.signalCode
          }) before it was ready; log: ${this.logFile}`,
        );
      }
      const ready = await fetch(`${this.url}/.backstage/health/v1/readiness`)
        .then(r => r.ok)
        .catch(() => false);
      if (ready) {
        return;
      }
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(
          `Backend was not ready after ${timeoutMs} ms; log: ${this.logFile}`,
        );
      }
      await new Promise(r => setTimeout(r, 200));
    }
  }

  /** SIGKILL, and wait until the process is gone. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM (graceful shutdown), SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child) {
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.signal('SIGTERM');
    clearTimeout(timer);
  }

  private async signal(signal: NodeJS.Signals) {
    const child = this.child;
    if (!child) {
      return;
    }
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
    }
    await this.exited;
    this.child = undefined;
  }

  /** Calls the provisioning API with the static token; throws on a non-2xx answer. */
  async api<T = any>(
    method: 'GET' | 'POST' | 'DELETE',
    apiPath: string,
    body?: unknown,
  ): Promise<T> {
    const response = await fetch(`${this.url}/api/provisioning${apiPath}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(
        `${method} ${apiPath}: HTTP ${response.status} ${text.slice(0, 300)}`,
      );
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

import { ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';

/** The variable `./paved test` exports with the bundle directory (scripts/backend-bundle.sh). */
export const BACKEND_BUNDLE_ENV = 'PAVED_TEST_BACKEND_BUNDLE';

const READINESS_PATH = '/.backstage/health/v1/readiness';
// Kept from each backend's output: enough for any start-up failure, bounded for long runs.
const MAX_LOG_CHARS = 4_000_000;

let bundleDirPromise: Promise<string> | undefined;

/** The repository, found upwards from the working directory (a package's, under Jest). */
function repoRoot(): string {
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'scripts', 'backend-bundle.sh'))) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(
        `scripts/backend-bundle.sh not found above ${process.cwd()}; set ${BACKEND_BUNDLE_ENV} to a bundle directory`,
      );
    }
  }
}

function checkBundleDir(dir: string, origin: string): string {
  if (!fs.existsSync(path.join(dir, 'packages', 'backend', 'package.json'))) {
    throw new Error(
      `${origin} is ${dir}, which holds no backend bundle (packages/backend/package.json); build one with scripts/backend-bundle.sh`,
    );
  }
  return dir;
}

/**
 * The production backend bundle: env PAVED_TEST_BACKEND_BUNDLE when set (as `./paved test`
 * does), else built (or reused) by scripts/backend-bundle.sh — several minutes when cold, so
 * a test that calls it needs a long timeout. Built at most once per test process.
 */
export async function backendBundleDir(): Promise<string> {
  const fromEnv = process.env[BACKEND_BUNDLE_ENV];
  if (fromEnv) {
    return checkBundleDir(fromEnv, BACKEND_BUNDLE_ENV);
  }
  bundleDirPromise ??= new Promise<string>((resolve, reject) => {
    const script = path.join(repoRoot(), 'scripts', 'backend-bundle.sh');
    execFile(
      'bash',
      [script],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `scripts/backend-bundle.sh failed (${
                error.message
              }): ${stderr.slice(-4000)}`,
            ),
          );
          return;
        }
        try {
          resolve(checkBundleDir(stdout.trim(), 'scripts/backend-bundle.sh'));
        } catch (e) {
          reject(e);
        }
      },
    );
  });
  return bundleDirPromise;
}

/** One backend started from the bundle. */
export interface BundledBackend {
  /** http://127.0.0.1:<port> */
  url: string;
  pid: number;
  /** stdout+stderr so far (secrets are the backend's business) */
  logs(): string;
  /** SIGTERM, waits for exit */
  stop(): Promise<void>;
  /** SIGKILL, waits for exit */
  kill(): Promise<void>;
  exited: Promise<{ code: number | null; signal: string | null }>;
}

/** A free TCP port on loopback (the OS picks it; racy in theory, fine for tests). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// Backends still running when the test process exits (a failed test that never stopped
// them) would hold their ports and databases: SIGKILL them.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) {
    child.kill('SIGKILL');
  }
});

/**
 * Starts `node packages/backend --config ...` from the bundle directory, as the image's
 * CMD does, on loopback. The environment is `env` plus only PATH, HOME and the locale of
 * this process (no inherited secrets), with NODE_ENV=production as in the image.
 * A config layer after `configs` sets backend.listen to 127.0.0.1:<port> and the base URLs
 * to `url`; `extraConfig` comes last and may override them (e.g. a proxy's URL).
 * With waitUntilReady (default) resolves once GET /.backstage/health/v1/readiness answers
 * 200, and rejects (after killing it) when the backend exits or the timeout passes.
 */
export async function startBundledBackend(options: {
  bundleDir: string;
  port?: number;
  configs?: string[];
  extraConfig?: Record<string, unknown>;
  env: Record<string, string>;
  waitUntilReady?: boolean;
  timeoutMs?: number;
}): Promise<BundledBackend> {
  const {
    bundleDir,
    env,
    extraConfig,
    waitUntilReady = true,
    timeoutMs = 180_000,
  } = options;
  checkBundleDir(bundleDir, 'bundleDir');
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const configs = options.configs ?? [
    path.join(bundleDir, 'app-config.yaml'),
    path.join(bundleDir, 'app-config.production.yaml'),
  ];

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-bundled-backend-'));
  const listenConfig = path.join(tmp, 'listen.yaml');
  fs.writeFileSync(
    listenConfig,
    stringify({
      app: { baseUrl: url },
      backend: {
        baseUrl: url,
        // The string form, as app-config.production.yaml has it (`':7007'`): a string
        // and an object in two layers make the config reader fail.
        listen: `127.0.0.1:${port}`,
        cors: { origin: url },
      },
    }),
  );
  const configArgs = [...configs, listenConfig];
  if (extraConfig) {
    const extraPath = path.join(tmp, 'extra.yaml');
    fs.writeFileSync(extraPath, stringify(extraConfig));
    configArgs.push(extraPath);
  }

  const inherited: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'TZ', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) {
      inherited[name] = value;
    }
  }
  const child = spawn(
    process.execPath,
    [
      'packages/backend',
      ...configArgs.flatMap(config => ['--config', path.resolve(config)]),
    ],
    {
      cwd: bundleDir,
      env: {
        ...inherited,
        NODE_ENV: 'production',
        NODE_OPTIONS: '--no-node-snapshot',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.add(child);

  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > MAX_LOG_CHARS) {
      output = output.slice(-MAX_LOG_CHARS / 2);
    }
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);

  let hasExited = false;
  const exited = new Promise<{ code: number | null; signal: string | null }>(
    resolve => {
      child.once('exit', (code, signal) => {
        hasExited = true;
        running.delete(child);
        fs.rmSync(tmp, { recursive: true, force: true });
        resolve({ code, signal });
      });
    },
  );
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', reject);
  });
  await spawned;

  const signalAndWait = async (signal: NodeJS.Signals, graceMs: number) => {
    if (hasExited) {
      return;
    }
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };

  const backend: BundledBackend = {
    url,
    pid: child.pid!,
    logs: () => output,
    // The backend drains for a while on SIGTERM; after 30 s it is killed instead.
    stop: () => signalAndWait('SIGTERM', 30_000),
    kill: () => signalAndWait('SIGKILL', 0),
    exited,
  };

  if (waitUntilReady) {
    try {
      await waitForReadiness(url, exited, timeoutMs);
    } catch (error) {
      await backend.kill();
      throw new Error(
        `${
          (error as Error).message
        }; last output (request logs left out):\n${output
          .split('\n')
          .filter(line => !line.includes('"type":"incomingRequest"'))
          .join('\n')
          .slice(-8000)}`,
      );
    }
  }
  return backend;
}

async function waitForReadiness(
  url: string,
  exited: Promise<{ code: number | null; signal: string | null }>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exit: { code: number | null; signal: string | null } | undefined;
  exited.then(e => {
    exit = e;
  });
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (exit) {
      throw new Error(
        `The bundled backend exited before it was ready (code ${exit.code}, signal ${exit.signal})`,
      );
    }
    try {
      const response = await fetch(`${url}${READINESS_PATH}`, {
        signal: AbortSignal.timeout(5000),
      });
      if (response.status === 200) {
        return;
      }
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  throw new Error(
    `The bundled backend at ${url} was not ready after ${timeoutMs} ms (last readiness answer: ${last})`,
  );
}

/**
 * A round-robin HTTP proxy on loopback, standing in for the load balancer in front of
 * several replicas: each request goes to the next target in turn. A target that cannot be
 * reached answers 502 with a message naming it (a load balancer without health checks
 * would do the same), so a test sees a dead replica instead of hanging.
 * setTargets replaces the list (e.g. drop a killed replica) for the following requests.
 */
export async function startRoundRobinProxy(targets: string[]): Promise<{
  url: string;
  stop(): Promise<void>;
  setTargets(t: string[]): void;
}> {
  const parse = (list: string[]) =>
    list.map(target => {
      const parsed = new URL(target);
      if (parsed.protocol !== 'http:') {
        throw new Error(`Proxy targets must be http:// URLs, got ${target}`);
      }
      return parsed;
    });
  let current = parse(targets);
  let next = 0;
  // Keep-alive to the targets, as a real load balancer keeps its upstream connections.
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const sockets = new Set<net.Socket>();

  const server = http.createServer((req, res) => {
    if (current.length === 0) {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('round-robin proxy: no targets\n');
      return;
    }
    const target = current[next++ % current.length];
    const upstream = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      upstreamRes => {
        res.writeHead(
          upstreamRes.statusCode ?? 502,
          upstreamRes.statusMessage,
          upstreamRes.headers,
        );
        upstreamRes.pipe(res);
        upstreamRes.once('error', () => res.destroy());
      },
    );
    upstream.once('error', error => {
      if (res.headersSent) {
        // Cut mid-response: end the client's connection so it sees a failure, not a
        // truncated success.
        res.destroy();
        return;
      }
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(
        `round-robin proxy: target ${target.origin} failed: ${error.message}\n`,
      );
    });
    req.pipe(upstream);
  });
  server.on('connection', socket => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    setTargets(t: string[]) {
      current = parse(t);
    },
    async stop() {
      for (const socket of sockets) {
        socket.destroy();
      }
      agent.destroy();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}

/*
 * The backend the benches measure: packages/provisioning-chaos/src/backend.ts in a
 * process of its own, with the worker's default settings, and a client of its
 * provisioning API.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
export const CHAOS = path.join(ROOT, 'packages/provisioning-chaos');
/** Resolves as packages/provisioning-chaos does: the benches' dependencies are its. */
export const requireChaos = createRequire(path.join(CHAOS, 'package.json'));

export const sleep = ms => new Promise(r => setTimeout(r, ms));

export const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/**
 * Starts the backend on a free port, its databases prefixed with `run`, its log in
 * `tmp`; `env` adds the modules' settings (PAVED_CHAOS_RABBITMQ, ...). Resolves once
 * it is ready, with `api(method, path, body)`, which calls /api/provisioning as the
 * backend's static token and throws on an HTTP error.
 */
export async function startBackend({ tmp, pg, run, kubeconfig, env = {} }) {
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const logFile = path.join(tmp, 'backend.log');
  const log = fs.openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      requireChaos.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      path.join(CHAOS, 'src/backend.ts'),
    ],
    {
      cwd: CHAOS,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        PAVED_CHAOS_PORT: String(port),
        PAVED_CHAOS_TOKEN: token,
        PAVED_CHAOS_DATABASE_URL: pg,
        PAVED_CHAOS_DATABASE_PREFIX: `${run}_`,
        PAVED_CHAOS_TARGET_URL: pg,
        PAVED_CHAOS_KUBECONFIG: kubeconfig,
        ...env,
        // The worker's defaults (config.d.ts), not the fault tests' fast settings.
        PAVED_CHAOS_WORKER: JSON.stringify({
          concurrency: 4,
          pollInterval: { seconds: 5 },
          leaseDuration: { minutes: 1 },
          observeInterval: { seconds: 15 },
          retry: {
            maxAttempts: 5,
            initialBackoff: { seconds: 10 },
            maxBackoff: { minutes: 10 },
          },
        }),
      },
    },
  );
  fs.closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (
    !(await fetch(`${url}/.backstage/health/v1/readiness`).then(
      r => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`the backend did not start; log: ${logFile}`);
    }
    await sleep(200);
  }
  const api = async (method, p, body) => {
    const res = await fetch(`${url}/api/provisioning${p}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: body && JSON.stringify(body),
    });
    if (!res.ok)
      throw new Error(`${method} ${p}: HTTP ${res.status} ${await res.text()}`);
    return res.json();
  };
  return { child, api, logFile };
}

/**
 * Polls the request every `pollMs` until `done(request)` returns something, which
 * it resolves with; throws when the request failed.
 */
export async function until(api, id, pollMs, done) {
  for (;;) {
    const request = await api('GET', `/requests/${id}`);
    const result = await done(request);
    if (result !== undefined) return result;
    if (request.state === 'failed') {
      throw new Error(`${request.name} failed: ${request.lastError}`);
    }
    await sleep(pollMs);
  }
}

/** The request's createdAt until its `ready` event, by the backend's clock (ms). */
export function serverTime(request) {
  const ready = request.timeline.findLast(event => event.type === 'ready');
  return Date.parse(ready.createdAt) - Date.parse(request.createdAt);
}

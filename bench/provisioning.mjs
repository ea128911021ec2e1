#!/usr/bin/env node
/*
 * Benchmark: a postgres request, from POST /requests until the request is ready and its
 * Secret exists (read as the cluster admin), through a real backend process
 * (packages/provisioning-chaos/src/backend.ts) with the worker's default settings.
 * Baseline, measured in the same run on the same servers: the raw work the request
 * stands for, done directly (CREATE ROLE x2 + CREATE DATABASE + COMMENTs + the Secret
 * by server-side apply), so the figures are reported as ratios against it.
 *
 * Needs: BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING (a superuser URL),
 * PAVED_TEST_KUBECONFIG and PAVED_TEST_PORTAL_KUBECONFIG; bench/provisioning.sh
 * starts throwaway ones. Options: --count N (default 30), --concurrency C (default 5).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHAOS = path.join(ROOT, 'packages/provisioning-chaos');
const requireChaos = createRequire(path.join(CHAOS, 'package.json'));
const { Client, escapeIdentifier: ident, escapeLiteral } = requireChaos('pg');
const k8s = await import(requireChaos.resolve('@kubernetes/client-node'));

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const COUNT = arg('count', 30);
const CONCURRENCY = arg('concurrency', 5);

const pgVar = Object.keys(process.env).find(k =>
  /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(k),
);
const adminKc = process.env.PAVED_TEST_KUBECONFIG;
const portalKc = process.env.PAVED_TEST_PORTAL_KUBECONFIG;
if (!pgVar || !adminKc || !portalKc) {
  console.error(
    'Needs BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING, PAVED_TEST_KUBECONFIG and PAVED_TEST_PORTAL_KUBECONFIG; use bench/provisioning.sh (yarn bench:provisioning)',
  );
  process.exit(2);
}
const PG = process.env[pgVar].replace(/\/postgres$/, '');
const RUN = `b${randomBytes(3).toString('hex')}`;
const OWNER = `group:default/${RUN}-team`;
const NAMESPACE = `team-${RUN}-team`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-bench-'));

const kubeConfig = file => {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(file);
  return kc;
};
const adminCore = kubeConfig(adminKc).makeApiClient(k8s.CoreV1Api);
const portalObjects = k8s.KubernetesObjectApi.makeApiClient(
  kubeConfig(portalKc),
);

const sql = async (text, database = 'postgres') => {
  const client = new Client({ connectionString: `${PG}/${database}` });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
};

function stats(ms) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = q =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return {
    n: sorted.length,
    p50: at(0.5),
    p95: at(0.95),
    max: sorted[sorted.length - 1],
  };
}

/** Runs `fn(i)` COUNT times, `concurrency` at a time; returns each run's duration (ms). */
async function timed(concurrency, fn) {
  const durations = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < COUNT) {
        const i = next++;
        const t0 = performance.now();
        await fn(i);
        durations.push(performance.now() - t0);
      }
    }),
  );
  return stats(durations);
}

// ---------------------------------------------------------------- baseline: raw work
let baselineCounter = 0;
async function rawProvision(concurrencyLabel) {
  const db = `${RUN}_raw_${concurrencyLabel}_${++baselineCounter}`;
  const marker = escapeLiteral(`paved:request:${db}`);
  const password = randomBytes(32).toString('base64url');
  const client = new Client({ connectionString: `${PG}/postgres` });
  await client.connect();
  try {
    await client.query(
      `CREATE ROLE ${ident(
        `${db}_rw`,
      )} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE CONNECTION LIMIT 10 PASSWORD ${escapeLiteral(
        password,
      )}`,
    );
    await client.query(`COMMENT ON ROLE ${ident(`${db}_rw`)} IS ${marker}`);
    await client.query(`CREATE ROLE ${ident(`${db}_ro`)} NOLOGIN`);
    await client.query(`COMMENT ON ROLE ${ident(`${db}_ro`)} IS ${marker}`);
    await client.query(
      `CREATE DATABASE ${ident(db)} OWNER ${ident(`${db}_rw`)}`,
    );
    await client.query(`COMMENT ON DATABASE ${ident(db)} IS ${marker}`);
  } finally {
    await client.end();
  }
  await portalObjects.patch(
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: `${db.replace(/_/g, '-')}-postgres`,
        namespace: NAMESPACE,
      },
      stringData: { user: `${db}_rw`, password, database: db },
    },
    undefined,
    undefined,
    'paved-bench',
    undefined,
    k8s.PatchStrategy.ServerSideApply,
  );
}

// ---------------------------------------------------------------- the engine
const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function startBackend() {
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const log = fs.openSync(path.join(tmp, 'backend.log'), 'a');
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
        PAVED_CHAOS_DATABASE_URL: PG,
        PAVED_CHAOS_DATABASE_PREFIX: `${RUN}_`,
        PAVED_CHAOS_TARGET_URL: PG,
        PAVED_CHAOS_KUBECONFIG: portalKc,
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
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (
    !(await fetch(`${url}/.backstage/health/v1/readiness`).then(
      r => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(
        `the backend did not start; log: ${path.join(tmp, 'backend.log')}`,
      );
    }
    await new Promise(r => setTimeout(r, 200));
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
  return { child, api };
}

let engineCounter = 0;
async function engineProvision(api) {
  const name = `${RUN}-e${++engineCounter}`;
  const { id } = await api('POST', '/requests', {
    type: 'postgres',
    name,
    owner: OWNER,
    parameters: {},
  });
  for (;;) {
    const request = await api('GET', `/requests/${id}`);
    if (request.state === 'failed')
      throw new Error(`${name} failed: ${request.lastError}`);
    if (request.state === 'ready') {
      const { secretName, secretNamespace } = request.outputs;
      await adminCore.readNamespacedSecret({
        name: secretName,
        namespace: secretNamespace,
      });
      return;
    }
    await new Promise(r => setTimeout(r, 10));
  }
}

async function cleanup(child) {
  child?.kill('SIGTERM');
  await adminCore.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  for (const { datname } of await sql(
    `SELECT datname FROM pg_database WHERE datname LIKE '${RUN}%'`,
  )) {
    await sql(`DROP DATABASE IF EXISTS ${ident(datname)} WITH (FORCE)`);
  }
  for (const { rolname } of await sql(
    `SELECT rolname FROM pg_roles WHERE rolname LIKE '${RUN}%'`,
  )) {
    await sql(`DROP ROLE IF EXISTS ${ident(rolname)}`);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

const fmt = s =>
  `p50 ${s.p50.toFixed(0).padStart(5)} ms  p95 ${s.p95
    .toFixed(0)
    .padStart(5)} ms  max ${s.max.toFixed(0).padStart(5)} ms`;
const ratio = (a, b) =>
  `p50 x${(a.p50 / b.p50).toFixed(1)}  p95 x${(a.p95 / b.p95).toFixed(1)}`;

let backend;
try {
  await adminCore.createNamespace({ body: { metadata: { name: NAMESPACE } } });
  // Warm-up (connections, first Secret), not measured.
  await rawProvision('warm');
  const rawSeq = await timed(1, () => rawProvision('seq'));
  const rawConc = await timed(CONCURRENCY, () => rawProvision('conc'));

  backend = await startBackend();
  await engineProvision(backend.api);
  const engSeq = await timed(1, () => engineProvision(backend.api));
  const engConc = await timed(CONCURRENCY, () => engineProvision(backend.api));

  const line = (label, stat, base) =>
    console.log(
      `  ${label.padEnd(42)} ${fmt(stat)}${
        base ? `   vs baseline ${ratio(stat, base)}` : ''
      }`,
    );
  console.log(
    `request -> Secret ready, ${COUNT} requests each, ${
      os.cpus().length
    } cores`,
  );
  line('baseline (direct SQL + SSA), sequential', rawSeq);
  line(`baseline (direct SQL + SSA), ${CONCURRENCY} at a time`, rawConc);
  line('provisioning API, sequential', engSeq, rawSeq);
  line(`provisioning API, ${CONCURRENCY} at a time`, engConc, rawConc);
  console.log(
    `  goal p95 <= 1000 ms: ${
      Math.max(engSeq.p95, engConc.p95) <= 1000 ? 'met' : 'NOT met'
    }`,
  );
} finally {
  await cleanup(backend?.child);
}

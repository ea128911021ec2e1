#!/usr/bin/env node
/*
 * Benchmark of the adoption plugin (plugins/adoption-backend) over HTTP, in a backend
 * process of its own (bench/adoption-backend.ts) on a throwaway Postgres database.
 *
 * 1. Ingestion: C concurrent clients post batches of 500 analytics events to
 *    POST /api/adoption/events for ~D seconds (every 20th batch is posted twice, as a
 *    retry). Events accepted vs rows in the table at the end (0 lost, 0 doubled).
 *    Baseline, same run, same server: the same number of rows loaded with COPY FROM
 *    STDIN (psql \copy, as pg-copy-streams is not installed) into a copy of the table
 *    with the same indexes, and with 500-row INSERTs on one connection.
 * 2. Dashboard: 1M and then 10M events generated in SQL (generate_series) over 40
 *    days, 5000 users; POST /dashboard/refresh (timed); then p50/p95 of each dashboard
 *    endpoint for the last 30 days over HTTP.
 *
 * Needs BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING (a superuser URL);
 * bench/adoption.sh starts a throwaway server. Options: --clients C (8),
 * --seconds D (20), --sizes 1000000,10000000, --queries Q per endpoint (30).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { Client } = require('pg');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const CLIENTS = Number(arg('clients', 8));
const SECONDS = Number(arg('seconds', 20));
const SIZES = String(arg('sizes', '1000000,10000000')).split(',').map(Number);
const QUERIES = Number(arg('queries', 30));
const BATCH = 500;

const pgVar = Object.keys(process.env).find(k =>
  /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(k),
);
if (!pgVar) {
  console.error(
    'Needs BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING; use bench/adoption.sh (yarn bench:adoption)',
  );
  process.exit(2);
}
const PG = process.env[pgVar].replace(/\/postgres$/, '');
const DB = `adoption_bench_${randomBytes(3).toString('hex')}`;
const DB_URL = `${PG}/${DB}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-adoption-bench-'));
const log = (...a) => console.log(...a);

async function sql(text, params = [], url = DB_URL) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

function stats(ms) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = q =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), max: at(1) };
}
const f = n => (n >= 100 ? Math.round(n) : Math.round(n * 10) / 10);

// ---------------------------------------------------------------- backend
async function startBackend() {
  const out = fs.openSync(path.join(tmp, 'backend.log'), 'a');
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      path.join(ROOT, 'bench/adoption-backend.ts'),
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', out],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        ADOPTION_BENCH_DATABASE_URL: DB_URL,
      },
    },
  );
  const port = await new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', chunk => {
      buffer += chunk;
      const match = /READY (\d+)/.exec(buffer);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', code =>
      reject(new Error(`backend exited (${code}); see ${tmp}/backend.log`)),
    );
  });
  return { child, port };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function call(port, method, pathname, user, body) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: `/api/adoption${pathname}`,
        agent,
        headers: {
          authorization: `Bearer mock-user-token:${JSON.stringify({
            sub: user,
          })}`,
          ...(payload
            ? {
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(payload),
              }
            : {}),
        },
      },
      res => {
        const chunks = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({
            status: res.statusCode,
            body: text ? JSON.parse(text) : undefined,
          });
        });
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

// ---------------------------------------------------------------- events
const PLUGINS = [
  'catalog',
  'techdocs',
  'scaffolder',
  'search',
  'provisioning',
  'kubernetes',
  'api-docs',
  'home',
];
const pick = items => items[Math.floor(Math.random() * items.length)];
function randomEvent(now) {
  const pluginId = pick(PLUGINS);
  const search = pluginId === 'search';
  return {
    action: search
      ? 'search'
      : pick(['navigate', 'navigate', 'navigate', 'click']),
    subject: search
      ? `term${Math.floor(Math.random() * 300)}`
      : `/${pluginId}/page`,
    ...(search ? { value: Math.floor(Math.random() * 3) } : {}),
    attributes: { ab: 'x' },
    context: {
      pluginId,
      routeRef: `${pluginId}:route${Math.floor(Math.random() * 8)}`,
      extension: 'App',
      entityRef: `component:default/svc${Math.floor(Math.random() * 500)}`,
    },
    timestamp: new Date(now - Math.floor(Math.random() * 60_000)).toISOString(),
  };
}

async function ingestion(port) {
  log(`\n## Ingestion: ${CLIENTS} clients, batches of ${BATCH}, ${SECONDS} s`);
  const until = Date.now() + SECONDS * 1000;
  let accepted = 0;
  let duplicates = 0;
  let failed = 0;
  const latencies = [];
  const sent = [];
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let n = 0; Date.now() < until; n++) {
        const batch = {
          batchId: randomUUID(),
          events: Array.from({ length: BATCH }, () => randomEvent(Date.now())),
        };
        const user = `user:default/u${Math.floor(Math.random() * 2000)}`;
        const t0 = performance.now();
        const res = await call(port, 'POST', '/events', user, batch);
        latencies.push(performance.now() - t0);
        if (res.status !== 200) {
          failed++;
          continue;
        }
        accepted += BATCH;
        if (sent.length < 400)
          sent.push(...batch.events.slice(0, 5).map(e => [user, e]));
        if (n % 20 === 0) {
          const retry = await call(port, 'POST', '/events', user, batch);
          if (retry.status === 200 && retry.body.duplicate) duplicates++;
          else failed++;
        }
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  const [{ n: stored }] = await sql(
    'SELECT COUNT(*)::bigint AS n FROM adoption_events',
  );
  const rate = accepted / elapsed;
  const l = stats(latencies);
  log(
    `accepted ${accepted} events in ${f(elapsed)} s = ${Math.round(
      rate,
    )} events/s; retried batches answered as duplicates: ${duplicates}; failed requests: ${failed}`,
  );
  log(`in the table at the end: ${stored} (lost ${accepted - Number(stored)})`);
  log(
    `POST /events latency (500 events): p50 ${f(l.p50)} ms, p95 ${f(
      l.p95,
    )} ms, max ${f(l.max)} ms`,
  );
  return { accepted, stored: Number(stored), rate, elapsed };
}

// ---------------------------------------------------------------- baselines
async function baselines(rows) {
  log(`\n## Baselines: the same ${rows} rows straight into Postgres`);
  await sql(`CREATE TABLE bench_copy (LIKE adoption_events INCLUDING ALL)`);
  await sql(`CREATE TABLE bench_insert (LIKE adoption_events INCLUDING ALL)`);
  // The rows the API stored, as CSV, loaded again with COPY.
  const csv = path.join(tmp, 'events.csv');
  const cols =
    'occurred_at, day, source, user_ref, plugin_id, action, subject, route, entity_ref, team, value, outcome, duration_ms, attributes';
  const psql = fs.existsSync('/usr/lib/postgresql/15/bin/psql')
    ? '/usr/lib/postgresql/15/bin/psql'
    : 'psql';
  const exported = spawnSync(
    psql,
    [
      DB_URL,
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      `\\copy (SELECT ${cols} FROM adoption_events ORDER BY id LIMIT ${rows}) TO '${csv}' CSV`,
    ],
    { encoding: 'utf8' },
  );
  if (exported.status !== 0)
    throw new Error(`export failed: ${exported.stderr}`);
  const t0 = performance.now();
  const copy = spawnSync(
    psql,
    [
      DB_URL,
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      `\\copy bench_copy (${cols}) FROM '${csv}' CSV`,
    ],
    { encoding: 'utf8' },
  );
  const copyS = (performance.now() - t0) / 1000;
  if (copy.status !== 0) throw new Error(`COPY failed: ${copy.stderr}`);
  const copyRate = rows / copyS;
  log(
    `COPY FROM STDIN (psql \\copy, 1 connection, same indexes): ${Math.round(
      copyRate,
    )} rows/s`,
  );

  // 500-row INSERTs on one connection, what the API does per batch minus HTTP/JSON/zod.
  const client = new Client({ connectionString: DB_URL });
  await client.connect();
  const { rows: data } = await client.query(
    `SELECT ${cols} FROM adoption_events ORDER BY id LIMIT ${Math.min(
      rows,
      200_000,
    )}`,
  );
  const names = cols.split(', ');
  const t1 = performance.now();
  for (let i = 0; i < data.length; i += BATCH) {
    const chunk = data.slice(i, i + BATCH);
    const params = [];
    const tuples = chunk.map(
      row =>
        `(${names
          .map(n => {
            params.push(row[n]);
            return `$${params.length}`;
          })
          .join(', ')})`,
    );
    await client.query(
      `INSERT INTO bench_insert (${cols}) VALUES ${tuples.join(', ')}`,
      params,
    );
  }
  const insertRate = data.length / ((performance.now() - t1) / 1000);
  await client.end();
  log(
    `multi-row INSERT (500 rows per statement, 1 connection, ${
      data.length
    } rows): ${Math.round(insertRate)} rows/s`,
  );
  await sql('DROP TABLE bench_copy; DROP TABLE bench_insert');
  return { copyRate, insertRate };
}

// ---------------------------------------------------------------- dashboard
async function generate(total) {
  const [{ n }] = await sql(
    'SELECT COUNT(*)::bigint AS n FROM adoption_events',
  );
  let have = Number(n);
  const t0 = performance.now();
  while (have < total) {
    const chunk = Math.min(1_000_000, total - have);
    await sql(
      `INSERT INTO adoption_events (occurred_at, day, source, user_ref, plugin_id, action, subject, route, entity_ref, value)
       SELECT ts, floor(extract(epoch FROM ts) / 86400)::int, 'frontend',
              'user:default/u' || floor(random() ^ 2 * 5000)::int, p,
              CASE WHEN p = 'search' THEN 'search' WHEN r < 0.8 THEN 'navigate' ELSE 'click' END,
              CASE WHEN p = 'search' THEN 'term' || floor(random() ^ 2 * 300)::int ELSE '/' || p END,
              p || ':route' || floor(random() * 8)::int,
              'component:default/svc' || floor(random() * 500)::int,
              CASE WHEN p = 'search' THEN floor(random() * 3)::int END
       FROM (SELECT now() - random() * interval '40 days' AS ts, random() AS r,
                    (ARRAY['catalog','techdocs','scaffolder','search','provisioning','kubernetes','api-docs','home'])[1 + floor(random() * 8)::int] AS p
             FROM generate_series(1, $1)) g`,
      [chunk],
    );
    have += chunk;
  }
  await sql('ANALYZE adoption_events');
  return (performance.now() - t0) / 1000;
}

const ENDPOINTS = [
  'active-users',
  'usage',
  'searches',
  'golden-paths',
  'docs',
  'nps',
];
async function dashboard(port, total) {
  log(
    `\n## Dashboard at ${total.toLocaleString(
      'en',
    )} events (40 days, up to 5000 users)`,
  );
  const genS = await generate(total);
  log(`generated in SQL in ${f(genS)} s`);
  const t0 = performance.now();
  const refresh = await call(
    port,
    'POST',
    '/dashboard/refresh',
    'user:default/admin',
  );
  log(
    `POST /dashboard/refresh: ${refresh.status}, ${
      refresh.body?.days
    } days re-aggregated in ${f((performance.now() - t0) / 1000)} s`,
  );
  const [{ n: dailyRows }] = await sql(
    'SELECT COUNT(*) AS n FROM adoption_rollup_daily',
  );
  const [{ n: activeRows }] = await sql(
    'SELECT COUNT(*) AS n FROM adoption_active_users_daily',
  );
  log(
    `rollup rows: ${dailyRows} daily, ${activeRows} active (day, user) pairs`,
  );
  const today = new Date();
  const to = today.toISOString().slice(0, 10);
  const from = new Date(today.getTime() - 29 * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const results = {};
  for (const endpoint of ENDPOINTS) {
    const ms = [];
    for (let i = 0; i < QUERIES + 2; i++) {
      const t = performance.now();
      const res = await call(
        port,
        'GET',
        `/dashboard/${endpoint}?from=${from}&to=${to}`,
        'user:default/admin',
      );
      if (res.status !== 200)
        throw new Error(
          `${endpoint}: ${res.status} ${JSON.stringify(res.body)}`,
        );
      if (i >= 2) ms.push(performance.now() - t); // 2 warm-up requests
    }
    const s = stats(ms);
    results[endpoint] = s;
    log(
      `GET /dashboard/${endpoint}: p50 ${f(s.p50)} ms, p95 ${f(
        s.p95,
      )} ms, max ${f(s.max)} ms`,
    );
  }
  return results;
}

// ---------------------------------------------------------------- main
await sql(`CREATE DATABASE ${DB}`, [], `${PG}/postgres`);
const { child, port } = await startBackend();
try {
  log(
    `# adoption bench: ${os.cpus().length} CPUs, Postgres at ${
      new URL(PG).host
    }, database ${DB}`,
  );
  const ingest = await ingestion(port);
  const base = await baselines(ingest.stored);
  log(
    `\nAPI ingestion ${Math.round(ingest.rate)} events/s = ${f(
      (ingest.rate / base.copyRate) * 100,
    )}% of COPY, ${f(
      (ingest.rate / base.insertRate) * 100,
    )}% of 500-row INSERTs on one connection (goal ≥ 10,000 events/s)`,
  );
  await sql(
    'TRUNCATE adoption_events, adoption_batches, adoption_rollup_daily, adoption_rollup_weekly, adoption_active_users_daily, adoption_rollup_state',
  );
  for (const size of SIZES) {
    await dashboard(port, size);
  }
} finally {
  child.kill('SIGTERM');
  agent.destroy();
  await new Promise(r => setTimeout(r, 500));
  await sql(
    `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`,
    [],
    `${PG}/postgres`,
  ).catch(() => {});
  fs.rmSync(tmp, { recursive: true, force: true });
}

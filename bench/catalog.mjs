#!/usr/bin/env node
/*
 * Benchmark: the catalog with N synthetic components (default 10,000) plus the sample
 * organisation, on Postgres, through Paved's full backend (packages/backend/src/index.ts)
 * and, in the same run and on the same server, a backend with only the stock Backstage
 * plugins (bench/stock-backend.ts: what create-app puts in a new app's backend, at this
 * repository's versions). One after the other, stock first, each with databases of its
 * own (prefix `<run>_stock_` / `<run>_paved_`), both started the same way (dev mode:
 * Node with Backstage's transform) with the same configuration files
 * (app-config.yaml, app-config.production.yaml and the bench's own layer).
 *
 * For each backend:
 * - startup: spawn → readiness (printed, not a goal: the compile is in it);
 * - ingestion: a `url` location of the generated YAML (served by the bench on
 *   loopback) registered through POST /api/catalog/locations, until GET /entities/by-query counts all N (processed
 *   and stitched: what the entities API serves), and the backend's CPU meanwhile;
 * - latency as a signed-in user (guest sign-in as the sample's bob, who is in no admin
 *   group): the catalog list (by-query, limit 20, with and without a filter), by-name
 *   and facets, --calls sequential calls each (p50/p95/max), then an autocannon burst
 *   (--connections for --burst-s seconds; p50/p97.5/p99 and requests a second);
 * - idle CPU over --idle-s seconds after that (utime+stime from /proc/<pid>/stat: the
 *   backend's own background work; the catalog's re-processing is in it for both);
 * - RSS at the end, and its peak (VmHWM).
 *
 * Printed: each figure, with Paved / stock and whether it is within the goal (≤ 1.1×).
 *
 * Needs BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING (a superuser URL);
 * bench/catalog.sh starts a throwaway one. Options: --components N (10000),
 * --calls N (50), --connections C (10), --burst-s S (10), --idle-s S (60), --profile
 * (each backend writes a V8 CPU profile into the run's folder when it stops; the
 * bench prints where the CPU went during ingestion and the idle window; profiling
 * slows both, so take the ratios from a run without it).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { freePort, ROOT, sleep } from './lib/backend.mjs';
import { lineWriter, loadavg, stats } from './lib/figures.mjs';
import { productionEnv } from './lib/bundle.mjs';
import { PG, dropRunDatabases } from './lib/servers.mjs';

const requireRoot = createRequire(path.join(ROOT, 'package.json'));
const autocannon = requireRoot('autocannon');
const YAML = requireRoot('yaml');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const COMPONENTS = arg('components', 10_000);
const CALLS = arg('calls', 50);
const CONNECTIONS = arg('connections', 10);
const BURST_S = arg('burst-s', 10);
const IDLE_S = arg('idle-s', 60);
/** With --profile, each backend writes a V8 CPU profile (--cpu-prof) when it stops. */
const PROFILE = process.argv.includes('--profile');
const GOAL = 1.1;

if (!PG) {
  console.error(
    'Needs BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING; use bench/catalog.sh (yarn bench:catalog)',
  );
  process.exit(2);
}
if (
  ![COMPONENTS, CALLS, CONNECTIONS, BURST_S, IDLE_S].every(
    n => Number.isInteger(n) && n > 0,
  )
) {
  console.error(
    '--components, --calls, --connections, --burst-s and --idle-s take whole numbers above 0',
  );
  process.exit(2);
}

const RUN = `c${randomBytes(3).toString('hex')}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-bench-catalog-'));
const CLOCK_TICKS = 100; // USER_HZ on Linux, what /proc/<pid>/stat counts in

// ---------------------------------------------------------------- the entities
const OWNERS = [
  'platform-team',
  'payments-team',
  'checkout-team',
  'catalog-team',
  'data-team',
];
const SYSTEMS = [
  'storefront',
  'product-catalog',
  'payments-processing',
  'analytics',
];
const LIFECYCLES = ['production', 'experimental', 'deprecated'];
const TYPES = ['service', 'website', 'library'];
const componentName = i => `bench-svc-${String(i + 1).padStart(5, '0')}`;

/** N components spread over the sample's teams and systems, each depending on the previous. */
function writeEntities() {
  const docs = Array.from({ length: COMPONENTS }, (_, i) =>
    YAML.stringify({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: componentName(i),
        description: `Synthetic component number ${i + 1} of the catalog bench`,
        labels: { 'paved.dev/bench': RUN },
        tags: [`tier-${i % 4}`, i % 2 ? 'java' : 'typescript'],
      },
      spec: {
        type: TYPES[i % TYPES.length],
        lifecycle: LIFECYCLES[i % LIFECYCLES.length],
        owner: `group:default/${OWNERS[i % OWNERS.length]}`,
        system: SYSTEMS[i % SYSTEMS.length],
        ...(i > 0
          ? { dependsOn: [`component:default/${componentName(i - 1)}`] }
          : {}),
      },
    }),
  );
  const file = path.join(tmp, 'components.yaml');
  fs.writeFileSync(file, docs.join('---\n'));
  return file;
}

// ---------------------------------------------------------------- the backends
/** The backends' processes, killed if the bench is interrupted. */
const running = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const child of running) child.kill('SIGKILL');
    dropRunDatabases(RUN).finally(() => process.exit(130));
  });
}

const BACKENDS = {
  stock: path.join(ROOT, 'bench/stock-backend.ts'),
  paved: path.join(ROOT, 'packages/backend/src/index.ts'),
};

/** The bench's configuration layer, on top of app-config.yaml and app-config.production.yaml. */
function benchConfig(name, port) {
  const data = path.join(tmp, name);
  return {
    backend: {
      // A string, as the production layer's (the two forms do not merge).
      listen: `127.0.0.1:${port}`,
      database: { prefix: `${RUN}_${name}_` },
      // The bench's own file server (the catalog API registers `url` locations only).
      reading: { allow: [{ host: new URL(entitiesUrl).host }] },
    },
    auth: {
      providers: {
        // The bench's user signs in as a guest: the production layer has GitHub only.
        guest: {
          userEntityRef: 'user:default/bob',
          dangerouslyAllowOutsideDevelopment: true,
        },
        // The production layer's 'usernameMatchingUserEntityAnnotation' is not a
        // resolver of the GitHub module at this version, and the auth plugin refuses to
        // start with it; the bench signs nobody in through GitHub.
        github: {
          production: {
            signIn: {
              resolvers: [{ resolver: 'emailMatchingUserEntityProfileEmail' }],
            },
          },
        },
      },
    },
    techdocs: {
      publisher: { local: { publishDirectory: `${data}/techdocs` } },
    },
    paved: { localRepositories: { directory: `${data}/repositories` } },
    // No cluster: the production layer's in-cluster one does not exist here.
    kubernetes: { clusterLocatorMethods: [{ type: 'config', clusters: [] }] },
    catalog: {
      // The production layer's locations, absolute; the bench's own is registered
      // through the API once the backend is ready, so that ingestion can be timed.
      locations: [
        'catalog-info.yaml',
        'examples/org/all.yaml',
        'templates/all.yaml',
      ].map(target => ({ type: 'file', target: path.join(ROOT, target) })),
    },
  };
}

async function startBackend(name) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const configFile = path.join(tmp, `${name}.yaml`);
  fs.writeFileSync(configFile, YAML.stringify(benchConfig(name, port)));
  const pg = new URL(PG);
  const ciToken = randomBytes(24).toString('hex');
  const logFile = path.join(tmp, `${name}.log`);
  const log = fs.openSync(logFile, 'a');
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      ...(PROFILE
        ? ['--cpu-prof', '--cpu-prof-dir', path.join(tmp, `profile-${name}`)]
        : []),
      '--require',
      requireRoot.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      BACKENDS[name],
      ...['app-config.yaml', 'app-config.production.yaml', configFile].flatMap(
        file => ['--config', path.resolve(ROOT, file)],
      ),
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', log, log],
      env: {
        PATH: `${path.join(ROOT, '.paved/venv/bin')}:${process.env.PATH}`,
        HOME: process.env.HOME ?? tmp,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        ...productionEnv({ baseUrl: url, pg, ciToken }),
      },
    },
  );
  fs.closeSync(log);
  running.add(child);
  child.once('exit', () => running.delete(child));
  const deadline = Date.now() + 600_000;
  while (
    !(await fetch(`${url}/.backstage/health/v1/readiness`).then(
      r => r.ok,
      () => false,
    ))
  ) {
    // A plugin that fails to start leaves the process running, without readiness.
    const failed = /Unhandled rejection|Backend failed to start/.test(
      fs.readFileSync(logFile, 'utf8'),
    );
    if (failed || child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the ${name} backend did not start; log: ${logFile}`);
    }
    await sleep(500);
  }
  const startupMs = performance.now() - t0;
  const call = async (token, method, p, body) => {
    const request = () =>
      fetch(`${url}${p}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body && JSON.stringify(body),
      });
    let res;
    try {
      res = await request();
    } catch (error) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `the ${name} backend exited (${
            child.exitCode ?? child.signalCode
          }); log: ${logFile}`,
        );
      }
      // A kept-alive connection the server closed as it was reused (ECONNRESET):
      // once more on a new one, and said, since it is rare and skews a timing.
      console.log(
        `  (${name}: ${method} ${p}: ${error.cause?.code ?? error}; retried)`,
      );
      res = await request();
    }
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p}: HTTP ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise(r => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  return { name, url, child, startupMs, logFile, ciToken, call, stop };
}

/**
 * Where the CPU went in a V8 profile between `fromEndMs` and `toEndMs` before its
 * end: self time by package (node_modules/<package>, plugins/<name>, packages/<name>,
 * node's own, or V8's "(garbage collector)" and "(program)"), and the share of samples
 * with any of Paved's frames (plugins/, packages/) on their stack.
 */
function profileSummary(file, [fromEndMs, toEndMs]) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map(n => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) {
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const owner = url => {
    const m =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url) ??
      /\/((?:plugins|packages|bench)\/[^/]+)\//.exec(url);
    if (m) return m[1];
    return url.startsWith('node:') ? 'node' : url || undefined;
  };
  const paved = url =>
    !url.includes('node_modules') && /\/(plugins|packages)\/[^/]+\//.test(url);
  const from = profile.endTime - fromEndMs * 1000;
  const to = profile.endTime - toEndMs * 1000;
  const self = new Map();
  let t = profile.startTime;
  let total = 0;
  let withPaved = 0;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i];
    const { functionName, url } = nodes.get(id).callFrame;
    if (t < from || t > to || functionName === '(idle)') return;
    const key = owner(url) ?? functionName;
    self.set(key, (self.get(key) ?? 0) + 1);
    total++;
    for (let n = id; n !== undefined; n = parent.get(n)) {
      if (paved(nodes.get(n).callFrame.url)) {
        withPaved++;
        break;
      }
    }
  });
  return { total, withPaved, self: [...self].sort((a, b) => b[1] - a[1]) };
}

/**
 * The guest sign-in's Backstage token (what the frontend sends), once the catalog
 * accepts it: right after readiness the auth plugin may refuse a token it has just
 * issued ("Failed user token verification" from /v1/userinfo), so sign in again.
 */
async function userToken(backend) {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${backend.url}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    if (!res.ok) {
      throw new Error(`guest sign-in: HTTP ${res.status} ${await res.text()}`);
    }
    const token = (await res.json()).backstageIdentity.token;
    try {
      await backend.call(token, 'GET', LIST);
      return token;
    } catch (error) {
      if (attempt === 30) throw error;
      await sleep(2000);
    }
  }
}

/** The process's CPU seconds so far (user + system). */
function cpuSeconds(pid) {
  const fields = fs
    .readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  // After "(comm) ": state is field 3 of stat(5), utime 14 and stime 15.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** VmRSS and VmHWM (MB). */
function memory(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = key => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)[1]);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

// ---------------------------------------------------------------- the calls
const LIST = '/api/catalog/entities/by-query?limit=20';
const LIST_FILTERED =
  '/api/catalog/entities/by-query?limit=20&filter=kind=component,spec.lifecycle=production&orderField=metadata.name,asc';
const byName = i =>
  `/api/catalog/entities/by-name/component/default/${componentName(
    (i * 7919) % COMPONENTS,
  )}`;
const FACETS =
  '/api/catalog/entity-facets?filter=kind=component&facet=spec.type&facet=spec.lifecycle&facet=metadata.tags&facet=relations.ownedBy';
const ENDPOINTS = [
  ['list', () => LIST],
  ['list, filtered', () => LIST_FILTERED],
  ['by-name', byName],
  ['facets', () => FACETS],
];

async function measure(name) {
  const backend = await startBackend(name);
  try {
    const token = await userToken(backend);
    const counted = () =>
      backend
        .call(
          token,
          'GET',
          `/api/catalog/entities/by-query?limit=1&filter=kind=component,metadata.labels.paved.dev/bench=${RUN}`,
        )
        .then(r => r.totalItems);

    // Ingestion.
    const cpu0 = cpuSeconds(backend.child.pid);
    const t0 = performance.now();
    await backend.call(backend.ciToken, 'POST', '/api/catalog/locations', {
      type: 'url',
      target: entitiesUrl,
    });
    let seen = 0;
    const deadline = Date.now() + 1_800_000;
    while ((seen = await counted()) < COMPONENTS) {
      if (Date.now() > deadline) {
        throw new Error(
          `${name}: ${seen} of ${COMPONENTS} components after 30 minutes; log: ${backend.logFile}`,
        );
      }
      await sleep(1000);
    }
    const ingestionEnd = performance.now();
    const ingestionMs = ingestionEnd - t0;
    const ingestionCpu = cpuSeconds(backend.child.pid) - cpu0;
    console.log(
      `  ${name}: started in ${(backend.startupMs / 1000).toFixed(
        1,
      )} s, ${COMPONENTS} components in ${(ingestionMs / 1000).toFixed(1)} s`,
    );

    // Latency: sequential, then a burst.
    const latency = {};
    for (const [label, pathOf] of ENDPOINTS) {
      for (let i = 0; i < 5; i++) await backend.call(token, 'GET', pathOf(i));
      const ms = [];
      for (let i = 0; i < CALLS; i++) {
        const c0 = performance.now();
        await backend.call(token, 'GET', pathOf(i));
        ms.push(performance.now() - c0);
      }
      const burst = await autocannon({
        url: backend.url,
        connections: CONNECTIONS,
        duration: BURST_S,
        headers: { authorization: `Bearer ${token}` },
        requests: Array.from({ length: 20 }, (_, i) => ({
          method: 'GET',
          path: pathOf(i),
        })),
      });
      latency[label] = { sequential: stats(ms), burst };
    }

    // Idle.
    const idle0 = cpuSeconds(backend.child.pid);
    const idleStart = performance.now();
    await sleep(IDLE_S * 1000);
    const idleCpu = ((cpuSeconds(backend.child.pid) - idle0) / IDLE_S) * 100;
    const idleEnd = performance.now();
    const mem = memory(backend.child.pid);
    await backend.stop();
    const stopped = performance.now();
    return {
      // The idle window, in ms before the process ended (its profile's endTime).
      idleWindow: [stopped - idleStart, stopped - idleEnd],
      ingestionWindow: [stopped - t0, stopped - ingestionEnd],
      startupMs: backend.startupMs,
      ingestionMs,
      ingestionCpu,
      latency,
      idleCpu,
      mem,
      logFile: backend.logFile,
    };
  } finally {
    await backend.stop();
  }
}

// ---------------------------------------------------------------- the run
/**
 * The generated YAML over HTTP on loopback: POST /api/catalog/locations takes `url`
 * locations only, and a registration (unlike a configured location) can be timed.
 */
const entitiesFile = writeEntities();
const fileServer = http.createServer((req, res) => {
  if (req.url !== '/components.yaml') {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/yaml' });
  fs.createReadStream(entitiesFile).pipe(res);
});
await new Promise(r => fileServer.listen(0, '127.0.0.1', r));
const entitiesUrl = `http://127.0.0.1:${
  fileServer.address().port
}/components.yaml`;
console.log(
  `catalog bench ${RUN}: ${COMPONENTS} components + the sample organisation, Postgres ${
    new URL(PG).host
  }; load ${loadavg()}`,
);
let results;
try {
  results = {};
  for (const name of ['stock', 'paved']) {
    results[name] = await measure(name);
  }
} finally {
  fileServer.close();
  await dropRunDatabases(RUN).catch(e =>
    console.error(`dropping the run's databases: ${e}`),
  );
}
const { stock, paved } = results;

const verdict = ratio => (ratio <= GOAL ? 'ok' : `ABOVE ${GOAL}x`);
const scalar = (label, unit, a, b, digits = 1) => {
  const ratio = a / b;
  console.log(
    `  ${label.padEnd(26)} paved ${a.toFixed(digits).padStart(8)} ${unit.padEnd(
      4,
    )} stock ${b.toFixed(digits).padStart(8)} ${unit.padEnd(
      4,
    )} x${ratio.toFixed(2)}  ${verdict(ratio)}`,
  );
};

console.log(`\nload ${loadavg()}`);
console.log('startup (not a goal: includes the transform of each plugin)');
scalar('spawn -> ready', 's', paved.startupMs / 1000, stock.startupMs / 1000);
console.log('ingestion');
scalar(
  'all components listed',
  's',
  paved.ingestionMs / 1000,
  stock.ingestionMs / 1000,
);
scalar('backend CPU meanwhile', 's', paved.ingestionCpu, stock.ingestionCpu);
console.log(`latency, ${CALLS} sequential calls (paved vs stock)`);
const line = lineWriter({ width: 16, digits: 2 });
for (const [label] of ENDPOINTS) {
  line(label, paved.latency[label].sequential, stock.latency[label].sequential);
}
console.log(
  `burst: autocannon, ${CONNECTIONS} connections for ${BURST_S} s (paved vs stock)`,
);
for (const [label] of ENDPOINTS) {
  const a = paved.latency[label].burst;
  const b = stock.latency[label].burst;
  const errors = r => r.errors + r.non2xx + r.timeouts;
  console.log(
    `  ${label.padEnd(16)} p50 ${String(a.latency.p50).padStart(4)} ms x${(
      a.latency.p50 / b.latency.p50
    ).toFixed(2)}  p97.5 ${String(a.latency.p97_5).padStart(4)} ms x${(
      a.latency.p97_5 / b.latency.p97_5
    ).toFixed(2)}  p99 ${String(a.latency.p99).padStart(
      4,
    )} ms  ${a.requests.average.toFixed(
      0,
    )} req/s vs ${b.requests.average.toFixed(0)} (time a request x${(
      b.requests.average / a.requests.average
    ).toFixed(2)})  errors ${errors(a)} vs ${errors(b)}`,
  );
}
console.log(`after ingestion, ${IDLE_S} s idle`);
scalar('idle CPU', '%', paved.idleCpu, stock.idleCpu);
scalar('RSS', 'MB', paved.mem.rss, stock.mem.rss, 0);
scalar('peak RSS (VmHWM)', 'MB', paved.mem.hwm, stock.mem.hwm, 0);
console.log(`logs: ${stock.logFile} ${paved.logFile}`);

if (PROFILE) {
  for (const [name, result] of Object.entries(results)) {
    const dir = path.join(tmp, `profile-${name}`);
    const file = path.join(dir, fs.readdirSync(dir)[0]);
    console.log(`\n${name}'s CPU profile: ${file}`);
    for (const [label, window] of [
      ['ingestion', result.ingestionWindow],
      ['idle', result.idleWindow],
    ]) {
      const { total, withPaved, self } = profileSummary(file, window);
      console.log(
        `${label}: ${total} busy samples, ${(
          (withPaved / Math.max(total, 1)) *
          100
        ).toFixed(0)}% with Paved's code on the stack; self time by package:`,
      );
      for (const [key, n] of self.slice(0, 12)) {
        console.log(
          `  ${((n / Math.max(total, 1)) * 100)
            .toFixed(1)
            .padStart(5)}%  ${key}`,
        );
      }
    }
  }
}

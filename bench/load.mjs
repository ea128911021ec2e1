#!/usr/bin/env node
/*
 * Benchmark: 100 concurrent simulated users on the calls the portal's main pages make,
 * against three replicas of the production bundle (scripts/backend-bundle.sh, started
 * as the image starts it) on one Postgres behind a round-robin proxy on loopback
 * (bench/lib/proxy.mjs, a process of its own). Baseline, in the same run: the same
 * load through the same proxy against ONE replica (the other two stopped), so the
 * figures are also given as ratios (3 replicas / 1).
 *
 * Each simulated user is one autocannon connection that loads the pages in turn, every
 * call of a page one after the other (the browser does some side by side; one at a
 * time is the harder case for latency at a given number of users), and starts again.
 * The calls are those the frontend makes (read from its code; see PAGES below).
 *
 * Signed in as users, with real user tokens: every replica gets the guest provider
 * (`dangerouslyAllowOutsideDevelopment`) for one catalog user, so the auth backend
 * issues the same token a GitHub sign-in resolved to that user would carry
 * (signInWithCatalogUser: sub = the user, ent = the user and their groups from the
 * catalog), and every permission check runs as that user's would. The developer
 * pages run as user:default/carla (checkout-team, not an admin: the policy's
 * ownership rules run), the adoption dashboard as user:default/alice (platform-team:
 * only the portal's admin groups may read it). Replica 2 issues alice's token, the
 * others carla's; tokens are minted on one replica and verified by the others (the
 * keys are shared through the database), which is the point of several replicas.
 *
 * Needs: BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING (a superuser URL);
 * bench/load.sh starts a throwaway one. The bundle: PAVED_TEST_BACKEND_BUNDLE, else
 * scripts/backend-bundle.sh builds it (several minutes the first time).
 * Options: --connections N (default 100), --duration S (seconds measured per run,
 * default 30), --warmup S (default 5), --replicas R (default 3).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort } from './lib/backend.mjs';
import {
  backendBundleDir,
  productionEnv,
  startBundledBackend,
} from './lib/bundle.mjs';
import { loadavg, stats } from './lib/figures.mjs';
import { startProxy } from './lib/proxy.mjs';
import { PG, dropRunDatabases } from './lib/servers.mjs';
import { intArg } from './lib/args.mjs';

const CONNECTIONS = intArg('connections', 100);
const DURATION = intArg('duration', 30);
const WARMUP = intArg('warmup', 5);
const REPLICAS = intArg('replicas', 3);
// The issue's goal, per call, on the run against all the replicas.
const GOAL_P95_MS = 500;

if (!PG) {
  console.error(
    'Needs BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING; use bench/load.sh (yarn bench:load)',
  );
  process.exit(2);
}

const DEVELOPER = 'user:default/carla';
const DEVELOPER_GROUP = 'group:default/checkout-team';
const ADMIN = 'user:default/alice';
const COMPONENT = 'component:default/cart-service';

const day = d => d.toISOString().slice(0, 10);
const today = new Date();
// The adoption dashboard's default range, the last 30 days (plugins/adoption lastDays).
const range = `from=${day(
  new Date(today.getTime() - 29 * 86_400_000),
)}&to=${day(today)}`;
const json = body => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});
const ref = encodeURIComponent(COMPONENT);

/**
 * The pages and the calls each makes, as the frontend sends them (label → request).
 * A label shared by two pages (the entity's scorecard) is one call measured together.
 */
const PAGES = [
  {
    // `/`: the catalog index page (page:catalog, initialFilter all, no pagination):
    // plugin-catalog-react's EntityListProvider streams the kind's entities with
    // catalog-client's streamEntities (POST /entities/by-query, pages of 500, ordered by
    // name); the kind, type, owner, tag pickers ask for facets; the "All" count is a
    // query with limit 0.
    page: 'catalog list',
    user: DEVELOPER,
    calls: [
      [
        'catalog: list components',
        {
          path: '/api/catalog/entities/by-query',
          ...json({
            query: { kind: 'component' },
            limit: 500,
            orderBy: [{ field: 'metadata.name', order: 'asc' }],
            totalItems: 'exclude',
          }),
        },
      ],
      [
        'catalog: count (All)',
        {
          path: '/api/catalog/entities/by-query',
          ...json({ query: { kind: 'component' }, limit: 0 }),
        },
      ],
      [
        'catalog: facet kind',
        { path: '/api/catalog/entity-facets?facet=kind' },
      ],
      [
        'catalog: facet spec.type',
        {
          path: '/api/catalog/entity-facets?facet=spec.type&filter=kind%3Dcomponent',
        },
      ],
      [
        'catalog: facet owners',
        { path: '/api/catalog/entity-facets?facet=relations.ownedBy' },
      ],
      [
        'catalog: facet tags',
        {
          path: '/api/catalog/entity-facets',
          ...json({
            facets: ['metadata.tags'],
            query: { kind: 'component' },
          }),
        },
      ],
    ],
  },
  {
    // /catalog/default/component/cart-service: the entity, and the scorecard's
    // Maturity card on its overview.
    page: 'entity page',
    user: DEVELOPER,
    calls: [
      [
        'catalog: entity by name',
        {
          path: '/api/catalog/entities/by-name/component/default/cart-service',
        },
      ],
      [
        'scorecard: entity scorecard',
        { path: `/api/scorecard/entities/${ref}/scorecard` },
      ],
    ],
  },
  {
    // The component's Scorecard tab (EntityScorecardContent): the scorecard and its
    // history (limit 200).
    page: 'scorecard tab',
    user: DEVELOPER,
    calls: [
      [
        'scorecard: entity scorecard',
        { path: `/api/scorecard/entities/${ref}/scorecard` },
      ],
      [
        'scorecard: entity history',
        { path: `/api/scorecard/entities/${ref}/history?limit=200` },
      ],
    ],
  },
  {
    // /scorecard/maturity (OrganizationMaturityPage).
    page: 'organisation maturity',
    user: DEVELOPER,
    calls: [
      [
        'scorecard: organisation maturity',
        { path: '/api/scorecard/organization/maturity' },
      ],
    ],
  },
  {
    // /self-service: the Request tab lists the types; My resources pages the
    // requests of the user's groups (active states, 20 a page).
    page: 'self-service list',
    user: DEVELOPER,
    calls: [
      ['provisioning: types', { path: '/api/provisioning/types' }],
      [
        'provisioning: my requests',
        {
          path: `/api/provisioning/requests?owner=${encodeURIComponent(
            DEVELOPER_GROUP,
          )}&state=${encodeURIComponent(
            'pending-approval,provisioning,ready,updating,failed,deleting',
          )}&offset=0&limit=20`,
        },
      ],
    ],
  },
  {
    // /adoption (DashboardPage's useDashboard: six sections for the last 30 days).
    // The deployments plugin's DORA section on it calls
    // GET /api/provisioning/deployments/dora?weeks=12, which only exists when
    // provisioning.score is configured; app-config.production.yaml does not, so it
    // answers 404 there and is left out.
    page: 'adoption dashboard',
    user: ADMIN,
    calls: [
      ...['active-users', 'usage', 'searches', 'golden-paths', 'docs'].map(
        section => [
          `adoption: ${section}`,
          { path: `/api/adoption/dashboard/${section}?${range}` },
        ],
      ),
      ['adoption: nps', { path: `/api/adoption/dashboard/nps?${range}` }],
    ],
  },
];
const LABELS = [
  ...new Set(PAGES.flatMap(p => p.calls.map(([label]) => label))),
];

const RUN = `bl${randomBytes(3).toString('hex')}`;
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-bench-load-'));

/** Seconds since `t0`, for the progress lines. */
const since = t0 => `${((performance.now() - t0) / 1000).toFixed(0)} s`;

async function main() {
  const t0 = performance.now();
  const root = path.resolve(
    path.dirname(new URL(import.meta.url).pathname),
    '..',
  );
  const bundleDir = backendBundleDir(root);
  const pg = new URL(PG);
  const proxy = await startProxy([]);
  const backends = [];
  let failed = true;
  const cleanup = async () => {
    await Promise.all(backends.map(b => b.stop()));
    await proxy.stop();
    await dropRunDatabases(RUN);
    // The replicas' logs stay when the run failed, to see why.
    if (failed) console.error(`The replicas' logs: ${workDir}`);
    else fs.rmSync(workDir, { recursive: true, force: true });
  };
  // Interrupted: stop the replicas and drop the databases all the same.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => cleanup().finally(() => process.exit(130)));
  }
  try {
    // PAVED_BASE_URL is the load balancer, as in a cluster: plugin-to-plugin calls go
    // through it too.
    const env = productionEnv({
      baseUrl: proxy.url,
      pg,
      ciToken: randomBytes(24).toString('base64'),
    });
    const start = async i => {
      const port = await freePort();
      const backend = await startBundledBackend({
        bundleDir,
        workDir,
        name: `replica-${i + 1}`,
        port,
        env,
        extraConfig: {
          backend: {
            // A string, as app-config.production.yaml gives it (an object here would
            // not merge with its ':7007').
            listen: `127.0.0.1:${port}`,
            // This run's databases only (dropped at the end), on the shared server.
            database: { prefix: `${RUN}_` },
          },
          auth: {
            providers: {
              guest: {
                dangerouslyAllowOutsideDevelopment: true,
                userEntityRef: i === 1 ? ADMIN : DEVELOPER,
              },
            },
          },
          // The image's /app/data/techdocs, here a folder of the run's.
          techdocs: {
            publisher: {
              local: { publishDirectory: path.join(workDir, 'techdocs') },
            },
          },
        },
      });
      backends.push(backend);
      return backend;
    };
    // The first replica alone, so that it runs the databases' migrations; the others
    // side by side afterwards.
    const first = await start(0);
    const others = await Promise.all(
      Array.from({ length: REPLICAS - 1 }, (_, i) => start(i + 1)),
    );
    const replicas = [first, ...others];
    console.log(
      `${replicas.length} replicas of ${bundleDir} ready (${since(t0)})`,
    );
    const tokens = {
      [DEVELOPER]: await signIn(first.url, DEVELOPER),
      [ADMIN]: await signIn((replicas[1] ?? first).url, ADMIN),
    };
    await proxy.setTargets(replicas.map(r => r.url));
    await waitForData(proxy.url, tokens);
    console.log(`catalog ingested and scorecards evaluated (${since(t0)})`);

    const requests = PAGES.flatMap(({ user, calls }) =>
      calls.map(([label, request]) => ({ label, user, ...request })),
    );
    const withAuth = requests.map(({ label, user, headers, ...request }) => ({
      ...request,
      headers: { ...headers, authorization: `Bearer ${tokens[user]}` },
      label,
    }));

    const results = {};
    console.log(
      `\nLoad: ${CONNECTIONS} users, each loading ${PAGES.length} pages (${withAuth.length} calls) in turn; ${DURATION} s measured after ${WARMUP} s of warm-up`,
    );
    await proxy.setTargets(replicas.map(r => r.url));
    results.all = await measure(
      proxy.url,
      withAuth,
      `${replicas.length} replicas`,
    );
    // The baseline: one replica alone, the others stopped (not idling on the cores).
    for (const backend of replicas.slice(1)) await backend.stop();
    await proxy.setTargets([first.url]);
    results.one = await measure(proxy.url, withAuth, '1 replica');
    report(results, replicas.length);
    failed = false;
  } finally {
    await cleanup();
  }
}

/** A user's token from the guest provider of `url`'s auth backend. */
async function signIn(url, user) {
  const response = await fetch(`${url}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  const body = await response.json().catch(() => undefined);
  const identity = body?.backstageIdentity;
  if (!response.ok || identity?.identity?.userEntityRef !== user) {
    throw new Error(
      `signing in as ${user} on ${url}: HTTP ${
        response.status
      } ${JSON.stringify(body?.error ?? identity?.identity)}`,
    );
  }
  return identity.token;
}

/**
 * Waits until what the pages show exists: the component in the catalog, its scorecard
 * (the first full evaluation) and the adoption dashboard answering its admin.
 */
async function waitForData(url, tokens) {
  const probes = [
    [DEVELOPER, '/api/catalog/entities/by-name/component/default/cart-service'],
    [DEVELOPER, `/api/scorecard/entities/${ref}/scorecard`],
    [ADMIN, `/api/adoption/dashboard/nps?${range}`],
  ];
  const deadline = Date.now() + 300_000;
  for (const [user, probe] of probes) {
    for (;;) {
      const response = await fetch(`${url}${probe}`, {
        headers: { authorization: `Bearer ${tokens[user]}` },
      });
      await response.arrayBuffer();
      if (response.ok) break;
      if (Date.now() > deadline) {
        throw new Error(
          `${probe} still answers ${response.status} after 5 minutes`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 2000));
    }
  }
}

/** One autocannon run; each response's time under its call's label. */
async function run(url, requests, seconds) {
  const times = new Map(LABELS.map(label => [label, []]));
  // The statuses >= 400 of each call, counted.
  const failures = new Map(LABELS.map(label => [label, new Map()]));
  // autocannon calls a request's onResponse and then emits `response` (with the time)
  // synchronously for the same response, so the label set here is that response's.
  let answered;
  const instance = autocannon(
    {
      url,
      connections: CONNECTIONS,
      duration: seconds,
      timeout: 10,
      requests: requests.map(({ label, ...request }) => ({
        ...request,
        onResponse: status => {
          answered = { label, status };
        },
      })),
    },
    () => undefined,
  );
  instance.on('response', (_client, status, _bytes, ms) => {
    times.get(answered.label).push(ms);
    if (status >= 400) {
      const counts = failures.get(answered.label);
      counts.set(status, (counts.get(status) ?? 0) + 1);
    }
  });
  const result = await new Promise((resolve, reject) => {
    instance.once('done', resolve);
    instance.once('error', reject);
  });
  return { result, times, failures };
}

async function measure(url, requests, name) {
  const load = loadavg();
  await run(url, requests, WARMUP);
  const { result, times, failures } = await run(url, requests, DURATION);
  const all = [...times.values()].flat();
  console.log(
    `  ${name}: ${(result.requests.total / DURATION).toFixed(0)} req/s, ${
      all.length
    } answered, ${result.non2xx} non-2xx, ${result.errors} errors (${
      result.timeouts
    } timeouts); load average ${load} before, ${loadavg()} after`,
  );
  return { result, times, failures, overall: stats(all) };
}

const ms = v => `${v === undefined ? '-' : v.toFixed(0)}`.padStart(5);

function report({ all, one }, replicas) {
  const width = Math.max(...LABELS.map(l => l.length));
  const header = `  ${'call'.padEnd(width)}   n  ${'p50'.padStart(
    5,
  )} ${'p95'.padStart(5)} ${'p99'.padStart(
    5,
  )} ms  err | 1 replica: p95 ms  err | p95 ratio ${replicas}/1`;
  console.log(`\nPer call, ${replicas} replicas vs 1 (same run):`);
  console.log(header);
  const misses = [];
  const count = statuses => [...statuses.values()].reduce((a, b) => a + b, 0);
  for (const label of LABELS) {
    const a = stats(all.times.get(label));
    const b = stats(one.times.get(label));
    const fa = count(all.failures.get(label));
    const fb = count(one.failures.get(label));
    if (a.n === 0) misses.push(`${label} never answered`);
    else if (a.p95 > GOAL_P95_MS)
      misses.push(`${label} p95 ${a.p95.toFixed(0)} ms`);
    console.log(
      `  ${label.padEnd(width)} ${String(a.n).padStart(5)} ${ms(a.p50)} ${ms(
        a.p95,
      )} ${ms(a.p99)}    ${String(fa).padStart(4)} |       ${ms(
        b.p95,
      )} ${String(fb).padStart(4)} | x${(a.p95 / b.p95).toFixed(2)}`,
    );
  }
  for (const [name, r] of [
    [`${replicas} replicas`, all],
    ['1 replica', one],
  ]) {
    const statuses = LABELS.flatMap(label =>
      [...r.failures.get(label)].map(([s, n]) => `${label} ${s} x${n}`),
    );
    if (statuses.length) {
      console.log(`  errors, ${name}: ${statuses.join('; ')}`);
    }
  }
  const line = (name, r) =>
    `  ${name.padEnd(12)} ${(r.result.requests.total / DURATION)
      .toFixed(0)
      .padStart(5)} req/s  p50 ${ms(r.overall.p50)}  p95 ${ms(
      r.overall.p95,
    )}  p99 ${ms(r.overall.p99)} ms  errors ${
      r.result.errors + r.result.non2xx
    } (${r.result.non2xx} non-2xx, ${r.result.timeouts} timeouts)`;
  console.log('\nAll calls:');
  console.log(line(`${replicas} replicas`, all));
  console.log(line('1 replica', one));
  console.log(
    `  throughput x${(
      all.result.requests.total / one.result.requests.total
    ).toFixed(2)} (${replicas} replicas / 1); p95 x${(
      all.overall.p95 / one.overall.p95
    ).toFixed(2)}; ${
      os.cpus().length
    } cores shared by the replicas, Postgres, the proxy and the load generator`,
  );
  const errors = all.result.errors + all.result.non2xx;
  console.log(
    `\nGoal (${replicas} replicas, ${CONNECTIONS} users): p95 <= ${GOAL_P95_MS} ms per call and 0 errors: ${
      misses.length === 0 && errors === 0 ? 'met' : 'NOT met'
    }${misses.length ? `; over: ${misses.join(', ')}` : ''}${
      errors ? `; ${errors} errors` : ''
    }`,
  );
}

await main();

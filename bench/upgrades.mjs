#!/usr/bin/env node
/*
 * Benchmark: one campaign that proposes the upgrade of N services (default 200) made
 * from the same golden path, typescript-service, from 1.0.0 to the current version,
 * through a real backend process (bench/upgrades-backend.ts: the catalog with the
 * local-repositories provider, the scaffolder with Paved's module, the upgrades
 * plugin, the permission plugin with Paved's policy), as a platform-team user.
 *
 * Setup (not timed): each service is rendered at 1.0.0 through the scaffolder's
 * dry-run API (every step, as Create and the upgrades renderer run them),
 * published as a local bare repository with LocalRepositories (publish, a team edit
 * commit, checkout) and found by the catalog. Timed: POST /campaigns, POST
 * /campaigns/:id/run, then GET /campaigns/:id until every target is open or
 * conflicted (the wall time, polling every --poll-ms).
 *
 * Baseline, in the same run: for each service and each file of its repository, base =
 * the 1.0.0 render, ours = the repository's head (with the team's edit), theirs = the
 * current version rendered with the same answers (both rendered beforehand, not
 * timed); timed is only `git merge-file -p ours base theirs` over every file, one after
 * the other, as a simple script would. The first services' branches are checked
 * against the baseline's merged files.
 *
 * Needs BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING (a superuser URL);
 * bench/upgrades.sh starts a throwaway one. Options: --services N (default 200),
 * --poll-ms M (default 250), --timeout-s S (default 600: the campaign's limit).
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, sleep } from './lib/backend.mjs';
import { lineWriter, loadavg, stats } from './lib/figures.mjs';
import { PG, dropRunDatabases } from './lib/servers.mjs';

const requireRoot = createRequire(path.join(ROOT, 'package.json'));
// LocalRepositories from its TypeScript source, as the backend's dev mode loads it.
requireRoot(
  requireRoot.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
);
const { LocalRepositories } = requireRoot(
  '@paved/plugin-local-repositories-node',
);
const YAML = requireRoot('yaml');
const run = promisify(execFile);

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SERVICES = arg('services', 200);
const POLL_MS = arg('poll-ms', 250);
const TIMEOUT_S = arg('timeout-s', 600);
/** Setup's renders and publications, this many at a time (not measured). */
const SETUP_CONCURRENCY = 4;
/** Services whose branch is compared file by file with the baseline's merge. */
const CHECKED = Math.min(SERVICES, 5);

if (!PG) {
  console.error(
    'Needs BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING; use bench/upgrades.sh (yarn bench:upgrades)',
  );
  process.exit(2);
}
if (![SERVICES, POLL_MS, TIMEOUT_S].every(n => Number.isInteger(n) && n > 0)) {
  console.error(
    '--services, --poll-ms and --timeout-s take whole numbers above 0',
  );
  process.exit(2);
}

const TEMPLATE_DIR = path.join(ROOT, 'templates/typescript-service');
const TEMPLATE_REF = 'template:default/typescript-service';
const FROM_VERSION = '1.0.0';
const ADMIN = 'user:default/bench-platform-admin';
const RUN = `b${randomBytes(3).toString('hex')}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-bench-upgrades-'));
const repositories = new LocalRepositories(path.join(tmp, 'repositories'));

const serviceName = i => `svc-${String(i + 1).padStart(3, '0')}`;
const entityRef = i => `component:default/${serviceName(i)}`;
/** The Create form's answers for service i (owners spread over ten teams). */
const answers = i => ({
  name: serviceName(i),
  description: `Bench service number ${i + 1}`,
  owner: `group:default/squad-${String(i % 10).padStart(2, '0')}-team`,
  system: 'system:default/bench',
  lifecycle: 'production',
  port: 8080,
  database: false,
  deploy: false,
});
/** The team's own edit, committed on top of the first commit. */
const TEAM_NOTE = name =>
  `\n## Team notes\n\nOn call: #${name}-oncall. Deploys on Tuesdays.\n`;

// ---------------------------------------------------------------- the backend
async function startBackend() {
  const logFile = path.join(tmp, 'backend.log');
  const log = fs.openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      requireRoot.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      path.join(ROOT, 'bench/upgrades-backend.ts'),
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', log],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        UPGRADES_BENCH_DATABASE_URL: PG,
        UPGRADES_BENCH_PREFIX: `${RUN}_`,
        UPGRADES_BENCH_REPOSITORIES: repositories.directory,
        UPGRADES_BENCH_TEMPLATE: path.join(TEMPLATE_DIR, 'template.yaml'),
        UPGRADES_BENCH_ADMIN: ADMIN,
      },
    },
  );
  fs.closeSync(log);
  const port = await new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', chunk => {
      fs.appendFileSync(logFile, chunk);
      buffer += chunk;
      const match = /READY (\d+)/.exec(buffer);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', code =>
      reject(new Error(`the backend exited (${code}); log: ${logFile}`)),
    );
    setTimeout(
      () => reject(new Error(`the backend did not start; log: ${logFile}`)),
      180_000,
    ).unref();
  });
  /**
   * Calls /api/<path> as the platform-team user; throws on an HTTP error. node:http
   * rather than fetch, whose 300 s header timeout a large campaign's run may pass.
   */
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const api = (method, p, body) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method,
          path: `/api${p}`,
          agent,
          headers: {
            authorization: `Bearer mock-user-token:${JSON.stringify({
              sub: ADMIN,
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
            if (res.statusCode >= 400) {
              reject(
                new Error(`${method} ${p}: HTTP ${res.statusCode} ${text}`),
              );
            } else {
              resolve(text ? JSON.parse(text) : undefined);
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  return { child, api, logFile };
}

// ---------------------------------------------------------------- rendering
/** A template directory as the dry-run API takes it (never versions/ or the changelog). */
function readTemplate(dir) {
  const template = YAML.parse(
    fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8'),
  );
  const directoryContents = fs
    .readdirSync(dir, { recursive: true })
    .filter(
      file =>
        !file.startsWith(`versions${path.sep}`) &&
        file !== 'versions' &&
        file !== 'CHANGELOG.md' &&
        fs.statSync(path.join(dir, file)).isFile(),
    )
    .map(file => ({
      path: file.split(path.sep).join('/'),
      base64Content: fs.readFileSync(path.join(dir, file)).toString('base64'),
    }));
  // Every step, as Create and the upgrades renderer run it: in a dry run the paved:*
  // actions only pretend to publish and register.
  return { template, directoryContents };
}

const versionOf = ({ template }) =>
  template.metadata.annotations['paved.dev/template-version'];

/** How long each of setup's dry runs took (ms): what each proposal does twice. */
const renderTimes = [];

/** Renders a template for service i through the scaffolder's dry run: path -> Buffer. */
async function render(api, version, i) {
  const t0 = performance.now();
  const result = await api('POST', '/scaffolder/v2/dry-run', {
    ...version,
    values: answers(i),
  });
  renderTimes.push(performance.now() - t0);
  return new Map(
    result.directoryContents.map(file => [
      file.path,
      Buffer.from(file.base64Content, 'base64'),
    ]),
  );
}

function writeFiles(dir, files) {
  for (const [file, content] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
}

/** The files of a working tree, without .git: path -> Buffer. */
function readTree(dir) {
  return new Map(
    fs
      .readdirSync(dir, { recursive: true })
      .filter(
        file =>
          file !== '.git' &&
          !file.startsWith(`.git${path.sep}`) &&
          fs.statSync(path.join(dir, file)).isFile(),
      )
      .map(file => [
        file.split(path.sep).join('/'),
        fs.readFileSync(path.join(dir, file)),
      ]),
  );
}

const gitAs = [
  '-c',
  'user.name=Bench Team',
  '-c',
  'user.email=team@bench.local',
];

/**
 * Service i at 1.0.0: rendered, published as a bare repository, a team commit on
 * top, checked out (so the catalog finds it). Returns its three sides.
 */
async function makeService(api, versions, i) {
  const name = serviceName(i);
  const [base, theirs] = await Promise.all([
    render(api, versions.old, i),
    render(api, versions.current, i),
  ]);
  const source = path.join(tmp, 'sources', name);
  writeFiles(source, base);
  await repositories.publish({
    name,
    sourceDir: source,
    description: answers(i).description,
    createdBy: `bench-${RUN}`,
  });
  const work = path.join(tmp, 'work', name);
  await run('git', ['clone', '--quiet', repositories.remoteUrl(name), work]);
  fs.appendFileSync(path.join(work, 'README.md'), TEAM_NOTE(name));
  await run('git', [
    '-C',
    work,
    ...gitAs,
    'commit',
    '--quiet',
    '-am',
    'Team notes in the README',
  ]);
  await run('git', ['-C', work, 'push', '--quiet', 'origin', 'HEAD']);
  await repositories.checkout(name);
  const ours = readTree(work);
  fs.rmSync(source, { recursive: true, force: true });
  return { name, base, ours, theirs };
}

/** Runs fn(i) for i in 0..count-1, `concurrency` at a time; the results in order. */
async function pool(count, concurrency, fn) {
  const results = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await fn(i);
      }
    }),
  );
  return results;
}

/** Until the catalog has every service as a component with its lineage. */
async function waitForCatalog(api) {
  const refs = Array.from({ length: SERVICES }, (_, i) => entityRef(i));
  const deadline = Date.now() + 600_000;
  for (;;) {
    const { items } = await api('POST', '/catalog/entities/by-refs', {
      entityRefs: refs,
      fields: ['metadata.annotations'],
    });
    const found = items.filter(
      e => e?.metadata?.annotations?.['paved.dev/template-version'],
    ).length;
    if (found === SERVICES) return;
    if (Date.now() > deadline) {
      throw new Error(`the catalog has ${found} of ${SERVICES} services`);
    }
    await sleep(1000);
  }
}

// ---------------------------------------------------------------- baseline
/**
 * Writes each file's three sides (an empty file for a side that lacks it, as a
 * script would) under baseline/<service>/{base,ours,theirs}; not timed.
 */
function prepareBaseline(service) {
  const dir = path.join(tmp, 'baseline', service.name);
  const files = [
    ...new Set([
      ...service.base.keys(),
      ...service.ours.keys(),
      ...service.theirs.keys(),
    ]),
  ].sort();
  for (const side of ['base', 'ours', 'theirs']) {
    writeFiles(
      path.join(dir, side),
      files.map(file => [file, service[side].get(file) ?? Buffer.alloc(0)]),
    );
  }
  return { dir, files };
}

/** `git merge-file -p ours base theirs` for every file of a service, one by one. */
function mergeFiles({ dir, files }) {
  const merged = new Map();
  let conflicted = 0;
  for (const file of files) {
    const result = spawnSync(
      'git',
      [
        'merge-file',
        '-p',
        path.join(dir, 'ours', file),
        path.join(dir, 'base', file),
        path.join(dir, 'theirs', file),
      ],
      { maxBuffer: 256 * 1024 * 1024 },
    );
    // Its exit code is the number of conflicts; negative (255 here) is an error.
    if (result.status === null || result.status > 127) {
      throw new Error(`git merge-file ${file}: ${result.stderr}`);
    }
    if (result.status > 0) conflicted++;
    merged.set(file, result.stdout);
  }
  return { merged, conflicted };
}

// ---------------------------------------------------------------- the campaign
const isDone = state => state === 'open' || state === 'conflicted';

/**
 * Creates the campaign and runs it; resolves with the seconds until every target is
 * open or conflicted, polling GET /campaigns/:id while the run (one request that
 * proposes every change) is under way.
 */
async function runCampaign(api, toVersion) {
  const deadline = new Date(Date.now() + 30 * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const t0 = performance.now();
  const campaign = await api('POST', '/upgrades/campaigns', {
    title: `Bench ${RUN}: typescript-service to ${toVersion}`,
    templateRef: TEMPLATE_REF,
    toVersion,
    deadline,
  });
  let runError;
  let runDone = false;
  const running = api('POST', `/upgrades/campaigns/${campaign.id}/run`).then(
    () => {
      runDone = true;
    },
    error => {
      runError = error;
    },
  );
  const limit = t0 + TIMEOUT_S * 1000;
  try {
    for (;;) {
      if (runError) throw runError;
      // Read before the GET: a run that finished before it must show every change.
      const finished = runDone;
      const details = await api('GET', `/upgrades/campaigns/${campaign.id}`);
      const { targets } = details;
      if (targets.length >= SERVICES && targets.every(t => isDone(t.state))) {
        return { seconds: (performance.now() - t0) / 1000, details };
      }
      // A problem is kept until the next run: waiting would not clear it.
      const stuck = targets.filter(t => t.problem && !isDone(t.state));
      if (performance.now() > limit || stuck.length > 0 || finished) {
        const states = {};
        for (const t of targets) states[t.state] = (states[t.state] ?? 0) + 1;
        throw new Error(
          `campaign ${campaign.id} after ${(
            (performance.now() - t0) /
            1000
          ).toFixed(1)} s${finished ? ' (run finished)' : ''}: ${
            targets.length
          } targets ${JSON.stringify(states)}; problems: ${
            stuck
              .slice(0, 5)
              .map(t => `${t.entityRef}: ${t.problem}`)
              .join('; ') || 'none'
          }`,
        );
      }
      await sleep(POLL_MS);
    }
  } finally {
    // The figures are taken; the run's answer is not waited for on failure.
    if (runDone) await running;
  }
}

/**
 * Whether the change's branch holds what `git merge-file` merged, file by file (a
 * file the merge leaves empty where ours and theirs both lack it counts as absent).
 */
async function branchMatches(change, service, merged) {
  const git = path.join(
    repositories.directory,
    'repositories',
    `${service.name}.git`,
  );
  const { stdout } = await run('git', [
    '--git-dir',
    git,
    'ls-tree',
    '-r',
    '--name-only',
    change.headCommit,
  ]);
  const onBranch = new Set(stdout.split('\n').filter(Boolean));
  const differing = [];
  for (const [file, content] of merged) {
    // A file one side deleted (and the other left alone) merges to nothing.
    const deleted =
      content.length === 0 &&
      !(service.ours.has(file) && service.theirs.has(file));
    const expected = deleted ? undefined : content;
    const actual = onBranch.has(file)
      ? (
          await run(
            'git',
            [
              '--git-dir',
              git,
              'cat-file',
              'blob',
              `${change.headCommit}:${file}`,
            ],
            { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 },
          )
        ).stdout
      : undefined;
    const same =
      expected === undefined || actual === undefined
        ? expected === actual
        : Buffer.compare(expected, actual) === 0;
    if (!same) differing.push(file);
  }
  return differing;
}

// ---------------------------------------------------------------- clean-up
let cleaned = false;
async function cleanup(backend) {
  if (cleaned) return;
  cleaned = true;
  if (backend) {
    backend.child.kill('SIGTERM');
    await new Promise(r => {
      if (backend.child.exitCode !== null) r();
      else backend.child.once('exit', r);
      setTimeout(r, 15_000).unref();
    });
  }
  await dropRunDatabases(RUN);
  fs.rmSync(tmp, { recursive: true, force: true });
}

// ---------------------------------------------------------------- report
const line = lineWriter({ width: 44, digits: 2 });

let backend;
let failed = false;
// Ctrl-C mid-run still removes what the run made (databases, repositories).
process.once('SIGINT', () => {
  cleanup(backend).finally(() => process.exit(130));
});
try {
  const versions = {
    old: readTemplate(path.join(TEMPLATE_DIR, 'versions', FROM_VERSION)),
    current: readTemplate(TEMPLATE_DIR),
  };
  const toVersion = versionOf(versions.current);
  if (versionOf(versions.old) !== FROM_VERSION || toVersion === FROM_VERSION) {
    throw new Error(
      `templates/typescript-service: expected versions/${FROM_VERSION} and a newer current version, found ${versionOf(
        versions.old,
      )} and ${toVersion}`,
    );
  }
  backend = await startBackend();
  const { api } = backend;

  let t = performance.now();
  const services = await pool(SERVICES, SETUP_CONCURRENCY, i =>
    makeService(api, versions, i),
  );
  await waitForCatalog(api);
  const fileCount = services.reduce(
    (n, s) =>
      n +
      new Set([...s.base.keys(), ...s.ours.keys(), ...s.theirs.keys()]).size,
    0,
  );
  console.log(
    `setup (not timed): ${SERVICES} services rendered at ${FROM_VERSION} and ${toVersion}, published, edited and in the catalog in ${(
      (performance.now() - t) /
      1000
    ).toFixed(0)} s`,
  );

  // The baseline first, with the backend idle (the catalog has settled).
  const prepared = services.map(prepareBaseline);
  const perService = [];
  const mergedOf = [];
  let baselineConflicted = 0;
  t = performance.now();
  for (const p of prepared) {
    const t1 = performance.now();
    const { merged, conflicted } = mergeFiles(p);
    perService.push(performance.now() - t1);
    mergedOf.push(merged);
    baselineConflicted += conflicted;
  }
  const baselineSeconds = (performance.now() - t) / 1000;

  console.log(
    `campaign: ${SERVICES} services of typescript-service ${FROM_VERSION} -> ${toVersion} (${(
      fileCount / SERVICES
    ).toFixed(0)} files each), ${
      os.cpus().length
    } cores, load average ${loadavg()}, polling every ${POLL_MS} ms`,
  );
  const { seconds, details } = await runCampaign(api, toVersion);
  console.log(`load average after: ${loadavg()}`);

  const { items: changes } = await api(
    'GET',
    `/upgrades/changes?campaignId=${encodeURIComponent(details.id)}`,
  );
  const byEntity = new Map(changes.map(c => [c.entityRef, c]));
  const open = details.targets.filter(t => t.state === 'open').length;
  const conflicted = details.targets.filter(
    t => t.state === 'conflicted',
  ).length;

  // The backend's branches against the baseline's merges, for the first services.
  const mismatches = [];
  for (let i = 0; i < CHECKED; i++) {
    const change = byEntity.get(entityRef(i));
    if (!change?.headCommit) {
      mismatches.push(`${serviceName(i)}: no change with a head commit`);
      continue;
    }
    const differing = await branchMatches(change, services[i], mergedOf[i]);
    if (differing.length > 0) {
      mismatches.push(`${serviceName(i)}: ${differing.join(', ')}`);
    }
  }

  const serverTimes = changes
    .filter(c => c.createdAt && c.updatedAt)
    .map(c => Date.parse(c.updatedAt) - Date.parse(c.createdAt));
  const baselineStats = stats(perService);
  console.log('per service:');
  line('baseline (git merge-file, every file)', baselineStats);
  if (serverTimes.length > 0) {
    line('change recorded -> last updated (server)', stats(serverTimes));
  }
  line(
    `setup's dry runs (${SETUP_CONCURRENCY * 2} at a time)`,
    stats(renderTimes),
  );
  const ratio = seconds / baselineSeconds;
  console.log(
    [
      `campaign opened:   ${seconds.toFixed(1)} s for ${SERVICES} services (${(
        (seconds * 1000) /
        SERVICES
      ).toFixed(0)} ms a service): ${open} open, ${conflicted} conflicted`,
      `baseline:          ${baselineSeconds.toFixed(1)} s (${(
        (baselineSeconds * 1000) /
        SERVICES
      ).toFixed(
        0,
      )} ms a service, ${fileCount} files, ${baselineConflicted} with conflicts)`,
      `ratio:             x${ratio.toFixed(2)} the baseline`,
      `branches vs git merge-file (first ${CHECKED}): ${
        mismatches.length === 0
          ? 'identical'
          : `DIFFER: ${mismatches.join('; ')}`
      }`,
      `goals: a campaign of 200 services opened in <= 60 s (${
        seconds <= 60 ? 'met' : 'NOT met'
      }${
        SERVICES === 200 ? '' : `; measured with ${SERVICES}`
      }); overhead <= 3x the baseline (${ratio <= 3 ? 'met' : 'NOT met'})`,
    ].join('\n'),
  );
  if (mismatches.length > 0) failed = true;
} catch (error) {
  failed = true;
  console.error(error);
  if (backend) {
    console.error(
      `backend log (last lines):\n${fs
        .readFileSync(backend.logFile, 'utf8')
        .split('\n')
        .slice(-30)
        .join('\n')}`,
    );
  }
} finally {
  await cleanup(backend);
}
process.exit(failed ? 1 : 0);

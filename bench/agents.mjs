#!/usr/bin/env node
/*
 * Benchmark: what an AI agent pays for going through MCP rather than the REST API, on
 * one replica of the production bundle (scripts/backend-bundle.sh, started as the image
 * starts it) on a throwaway Postgres, signed in as a user. Two operations, each through
 * both doors in the same run:
 *
 * - the tool list: MCP `tools/list` vs `GET /api/provisioning/types` (the list the
 *   Self-service page starts from);
 * - a plan: MCP `tools/call provisioning.plan-request` vs `POST /api/provisioning/plan`
 *   (same body as POST /requests; returns the plan, stores nothing), for a development
 *   PostgreSQL database of the user's team.
 *
 * Each MCP call is made as a stateless client makes it: a new SDK Client on a new
 * StreamableHTTPClientTransport (the official @modelcontextprotocol/sdk), so one call
 * is, over HTTP to /api/mcp-actions/v1:
 *   1. POST `initialize` (the server is stateless: a new MCP server per POST);
 *   2. POST `notifications/initialized` (202), after which the SDK also tries to open
 *      its GET event stream (answered 405, in the background);
 *   3. POST the call itself, where the MCP server
 *      - for `tools/list`: asks every plugin of backend.actions.pluginSources for its
 *        actions over HTTP (GET /.backstage/actions/v1/actions, each with a plugin
 *        token minted on the user's behalf), in parallel;
 *      - for `tools/call`: does the same fan-out to find the action, then invokes it
 *        over HTTP on the provisioning plugin (POST .../actions/<id>/invoke), which
 *        validates the input, checks paved.agents, audits `agent-action` and runs
 *        RequestService.plan, the code the REST route runs;
 *   and the guardrails gate audits each call (`agent-tool-call`) and records a usage
 *   event.
 * A client that keeps its connection (steps 1-2 once) is measured too, as a second row.
 * The REST calls are plain fetches with the same token (keep-alive on both sides).
 *
 * Runs: 50 calls one after the other, then 50 with 10 at a time, each after 10 calls
 * of warm-up; printed: p50/p95/max per row, and its ratios against the REST call of
 * the same operation. Goal (issue 21): MCP (new client per call) p95 <= 1.5x REST p95.
 *
 * Signed in as user:default/carla (checkout-team, not an admin) through the guest
 * provider (`dangerouslyAllowOutsideDevelopment`), so the token is the one a real
 * sign-in resolved to her would carry and the permission checks run as hers (see
 * bench/load.mjs). The postgres type is configured on the same Postgres server; a
 * plan touches neither it nor the cluster (the cluster is PAVED_TEST_PORTAL_KUBECONFIG
 * when set, else an address nothing listens on).
 *
 * Needs: BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING (a superuser URL);
 * bench/agents.sh starts a throwaway one. The bundle: PAVED_TEST_BACKEND_BUNDLE, else
 * scripts/backend-bundle.sh builds it (several minutes the first time).
 * Options: --count N (default 50), --concurrency C (default 10), --warmup W (default 10).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './lib/backend.mjs';
import {
  backendBundleDir,
  productionEnv,
  startBundledBackend,
} from './lib/bundle.mjs';
import { lineWriter, loadavg, timed } from './lib/figures.mjs';
import { PG, dropRunDatabases, portalKc } from './lib/servers.mjs';
import { intArg } from './lib/args.mjs';

const ROOT = path.resolve(
  path.dirname(new URL(import.meta.url).pathname),
  '..',
);
// The SDK as the e2e test uses it: a devDependency of packages/app.
const requireApp = createRequire(path.join(ROOT, 'packages/app/package.json'));
const { Client } = requireApp('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = requireApp(
  '@modelcontextprotocol/sdk/client/streamableHttp.js',
);

const COUNT = intArg('count', 50);
const CONCURRENCY = intArg('concurrency', 10);
const WARMUP = intArg('warmup', 10);
// The goal: MCP's p95 at most this many times REST's, per operation and run.
const GOAL_RATIO = 1.5;

if (!PG) {
  console.error(
    'Needs BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING; use bench/agents.sh (yarn bench:agents)',
  );
  process.exit(2);
}

const USER = 'user:default/carla';
const TEAM = 'group:default/checkout-team';
const AGENT = 'paved-bench-agent';
const PLAN = {
  type: 'postgres',
  name: 'bench-agents-db',
  owner: TEAM,
  parameters: { environment: 'development' },
};

const RUN = `ba${randomBytes(3).toString('hex')}`;
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-bench-agents-'));
const since = t0 => `${((performance.now() - t0) / 1000).toFixed(0)} s`;

async function main() {
  const t0 = performance.now();
  const bundleDir = backendBundleDir(ROOT);
  const pg = new URL(PG);
  let backend;
  let failed = true;
  const cleanup = async () => {
    await backend?.stop();
    await dropRunDatabases(RUN);
    // The backend's log stays when the run failed, to see why.
    if (failed) console.error(`The backend's log: ${workDir}`);
    else fs.rmSync(workDir, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => cleanup().finally(() => process.exit(130)));
  }
  try {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    backend = await startBundledBackend({
      bundleDir,
      workDir,
      name: 'backend',
      port,
      // Its own address: the MCP server reaches the plugins' actions through it.
      env: productionEnv({
        baseUrl: url,
        pg,
        ciToken: randomBytes(24).toString('base64'),
      }),
      extraConfig: {
        backend: {
          listen: `127.0.0.1:${port}`,
          database: { prefix: `${RUN}_` },
        },
        auth: {
          providers: {
            guest: {
              dangerouslyAllowOutsideDevelopment: true,
              userEntityRef: USER,
            },
          },
        },
        provisioning: {
          postgres: {
            targets: [
              {
                id: 'bench',
                title: 'Bench PostgreSQL',
                host: pg.hostname,
                port: Number(pg.port || 5432),
                adminUser: decodeURIComponent(pg.username),
                adminPassword: decodeURIComponent(pg.password),
                sslMode: 'disable',
                default: true,
              },
            ],
            kubernetes: portalKc
              ? { kubeconfigPath: portalKc }
              : { url: 'https://127.0.0.1:9' },
          },
        },
        techdocs: {
          publisher: {
            local: { publishDirectory: path.join(workDir, 'techdocs') },
          },
        },
      },
    });
    console.log(`backend of ${bundleDir} ready (${since(t0)})`);
    const token = await signedIn(url);
    console.log(`${USER} signed in with ${TEAM} (${since(t0)})`);

    const rest = restCalls(url, token);
    const mcp = mcpCalls(url, token);
    // The same answer through both doors, before anything is timed.
    await check(rest, mcp);

    const connected = await mcp.connect();
    const rows = [
      {
        operation: 'tool list',
        rest: ['REST GET /api/provisioning/types', rest.types],
        mcp: ['MCP tools/list, new client', mcp.list],
        kept: ['MCP tools/list, kept client', () => mcp.list(connected)],
      },
      {
        operation: 'plan',
        rest: ['REST POST /api/provisioning/plan', rest.plan],
        mcp: ['MCP plan-request, new client', mcp.plan],
        kept: ['MCP plan-request, kept client', () => mcp.plan(connected)],
      },
    ];
    const width = Math.max(
      ...rows.flatMap(r => [r.rest, r.mcp, r.kept].map(([l]) => l.length)),
    );
    const line = lineWriter({ width, digits: 2 });
    const verdicts = [];
    try {
      for (const [runName, concurrency] of [
        ['one after the other', 1],
        [`${CONCURRENCY} at a time`, CONCURRENCY],
      ]) {
        console.log(
          `\n${COUNT} calls ${runName} (after ${WARMUP} of warm-up); load average ${loadavg()}`,
        );
        for (const row of rows) {
          const measured = {};
          for (const key of ['rest', 'mcp', 'kept']) {
            const [, fn] = row[key];
            await timed(WARMUP, concurrency, () => fn());
            measured[key] = await timed(COUNT, concurrency, () => fn());
          }
          line(row.rest[0], measured.rest);
          line(row.mcp[0], measured.mcp, measured.rest);
          line(row.kept[0], measured.kept, measured.rest);
          const ratio = measured.mcp.p95 / measured.rest.p95;
          verdicts.push(
            `${row.operation}, ${runName}: x${ratio.toFixed(2)} (${
              ratio <= GOAL_RATIO ? 'met' : 'NOT met'
            })`,
          );
        }
      }
    } finally {
      await connected.close();
    }
    console.log(
      `\nGoal: MCP (a new client per call) p95 <= ${GOAL_RATIO}x the REST call's p95:`,
    );
    for (const verdict of verdicts) console.log(`  ${verdict}`);
    console.log(
      `  (${
        os.cpus().length
      } cores shared by the backend, Postgres and the clients)`,
    );
    failed = false;
  } finally {
    await cleanup();
  }
}

/**
 * The user's token from the guest provider, once the catalog has the user and their
 * team: a sign-in before that resolves no groups (ownership would not apply).
 */
async function signedIn(url) {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const response = await fetch(`${url}/api/auth/guest/refresh`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    const body = await response.json().catch(() => undefined);
    const identity = body?.backstageIdentity;
    // Backstage's tokens no longer carry the groups (`ent`); the sign-in answer names
    // them, as resolved from the catalog when the token was issued.
    if (
      response.ok &&
      identity?.identity?.ownershipEntityRefs?.includes(TEAM)
    ) {
      return identity.token;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `signing in as ${USER}: HTTP ${response.status} ${JSON.stringify(
          body?.error ?? identity?.identity,
        )}; still no ${TEAM} after 5 minutes`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
}

/** The REST calls, each a plain fetch with the user's token; throws unless 2xx. */
function restCalls(url, token) {
  const call = async (pathname, init = {}) => {
    const response = await fetch(`${url}${pathname}`, {
      ...init,
      headers: { ...init.headers, authorization: `Bearer ${token}` },
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`${pathname}: HTTP ${response.status} ${text}`);
    }
    return JSON.parse(text);
  };
  return {
    types: () => call('/api/provisioning/types'),
    plan: () =>
      call('/api/provisioning/plan', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(PLAN),
      }),
  };
}

/**
 * The MCP calls through the official SDK. Without a `client`, each call connects a
 * new one (and closes it); with one, it reuses it. Throws when a tool fails.
 */
function mcpCalls(url, token) {
  const connect = async () => {
    const client = new Client({ name: AGENT, version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${url}/api/mcp-actions/v1`), {
        requestInit: {
          headers: { authorization: `Bearer ${token}`, 'x-paved-agent': AGENT },
        },
      }),
    );
    return client;
  };
  const using = async (client, fn) => {
    if (client) return fn(client);
    const fresh = await connect();
    try {
      return await fn(fresh);
    } finally {
      await fresh.close();
    }
  };
  return {
    connect,
    list: client => using(client, c => c.listTools()),
    plan: client =>
      using(client, async c => {
        const result = await c.callTool({
          name: 'provisioning.plan-request',
          arguments: PLAN,
        });
        if (result.isError) {
          throw new Error(
            `provisioning.plan-request: ${result.content
              .map(part => part.text)
              .join('\n')}`,
          );
        }
        return result.structuredContent;
      }),
  };
}

/** Both doors give the same plan, and the tool list has the provisioning tools. */
async function check(rest, mcp) {
  const { tools } = await mcp.list();
  if (!tools.some(tool => tool.name === 'provisioning.plan-request')) {
    throw new Error(
      `tools/list has no provisioning.plan-request (is provisioning in backend.actions.pluginSources?): ${tools
        .map(tool => tool.name)
        .join(', ')}`,
    );
  }
  const [byRest, byMcp] = [await rest.plan(), await mcp.plan()];
  if (!byRest.valid || !byMcp.valid) {
    throw new Error(
      `the plan is not valid: REST ${JSON.stringify(
        byRest.errors,
      )}, MCP ${JSON.stringify(byMcp.errors)}`,
    );
  }
  // The agent's plan also says that paved.agents holds the request for approval.
  console.log(
    `plan: REST approval ${JSON.stringify(
      byRest.approval,
    )}; MCP approval ${JSON.stringify(byMcp.approval)}`,
  );
}

await main();

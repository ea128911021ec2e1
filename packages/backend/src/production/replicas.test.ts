import { CoreV1Api } from '@kubernetes/client-node';
import { requireTestCluster, statusCodeOf } from '@paved/kube-test-utils';
import {
  LOCAL_PASSWORD,
  LocalIdentityProvider,
  readSampleAccounts,
  startLocalIdentityProvider,
} from '@paved/local-idp';
import {
  backendBundleDir,
  BundledBackend,
  CookieBrowser,
  requireTestPostgres,
  requireTestS3,
  startBundledBackend,
  startRoundRobinProxy,
  waitFor,
} from '@paved/test-utils';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, escapeIdentifier as ident } from 'pg';

/*
 * Three replicas of the production bundle (what the Dockerfile runs) on one Postgres,
 * behind a round-robin proxy standing in for the load balancer; the control plane,
 * the S3 gateway and the Postgres server of the test run are the real ones.
 *
 * - Scheduled jobs: every Paved job is a global task of Backstage's scheduler, whose
 *   row in the plugin's `backstage_backend_tasks__tasks` table is the lock. A trigger
 *   of this test on that table records each claim (which slot, `next_run_start_at`,
 *   it served) and each release, so that the runs of all replicas are counted in one
 *   place, with their start, end and error. Three jobs that log one line per run are
 *   also counted from the replicas' logs, to check the trigger against the jobs.
 * - Sign-in: the OIDC code flow against @paved/local-idp with /start on one replica
 *   and the callback on another; the token then works on each.
 * - Mutations of provisioning, environments, runbooks and incidents spread over the
 *   replicas, and one replica SIGKILLed while it holds a provisioning operation.
 */

jest.setTimeout(420_000);

const ROOT = path.resolve(__dirname, '../../../..');
const RUN = `rep${randomBytes(3).toString('hex')}`;
const PREFIX = `paved_${RUN}_`;
const OWNER = `group:default/${RUN}-team`;
const CI_TOKEN = randomBytes(24).toString('hex');
const OIDC_CLIENT_ID = 'paved-portal';
const OIDC_CLIENT_SECRET = randomBytes(24).toString('hex');
/** Sample-organisation platform admin (group:default/platform-team). */
const ADMIN = 'alice';

/** The short interval every configurable job gets here. */
const FREQUENCY_S = 8;
/** How long the three replicas run side by side while their jobs are counted. */
const WINDOW_MS = 40_000;
/**
 * A task schedule in ISO 8601 strings: config layers merge objects key by key, so
 * `{ seconds: 8 }` over the base config's `{ hours: 1 }` would make both count.
 */
const schedule = (frequencySeconds = FREQUENCY_S) => ({
  frequency: `PT${frequencySeconds}S`,
  timeout: 'PT5M',
  // Long enough for this test's trigger to be in place before any run. A replica's
  // worker for a task starts polling only after it, so triggers wait for it too.
  initialDelay: 'PT6S',
});

interface ScheduledJob {
  /** The plugin whose database holds the task. */
  plugin: string;
  task: string;
  /** Its interval here, in seconds; undefined: runs only when triggered. */
  frequencyS?: number;
  /** The fewest runs expected in the window (jobs that may run long: 1). */
  minRuns: number;
  /** The line the job logs once per run, when it logs one. */
  logLine?: RegExp;
}

/** Every scheduleTask of plugins/* that is global, with how it is configured below. */
const JOBS: ScheduledJob[] = [
  {
    plugin: 'scorecard',
    task: 'scorecard-evaluate-all',
    frequencyS: FREQUENCY_S,
    minRuns: 2,
    logLine: /Scorecard: evaluated \d+ entities/g,
  },
  {
    plugin: 'scorecard',
    task: 'scorecard-evaluate-changed',
    frequencyS: FREQUENCY_S,
    minRuns: 3,
  },
  {
    plugin: 'adoption',
    task: 'adoption-rollups',
    frequencyS: FREQUENCY_S,
    minRuns: 3,
  },
  {
    plugin: 'adoption',
    task: 'adoption-retention',
    frequencyS: FREQUENCY_S,
    minRuns: 3,
  },
  {
    plugin: 'adoption',
    task: 'adoption-scaffolder-runs',
    frequencyS: FREQUENCY_S,
    minRuns: 3,
  },
  {
    plugin: 'provisioning',
    task: 'provisioning-expiry',
    frequencyS: FREQUENCY_S,
    minRuns: 3,
  },
  {
    plugin: 'provisioning',
    task: 'provisioning-reconcile',
    frequencyS: FREQUENCY_S,
    minRuns: 3,
  },
  {
    plugin: 'provisioning',
    task: 'provisioning-postgres-backup',
    frequencyS: FREQUENCY_S,
    minRuns: 3,
    logLine: /Scheduled backups: \d+ database\(s\) backed up/g,
  },
  {
    plugin: 'provisioning',
    task: 'provisioning-postgres-purge',
    frequencyS: FREQUENCY_S,
    minRuns: 3,
  },
  {
    plugin: 'provisioning',
    task: 'provisioning-s3-purge',
    frequencyS: FREQUENCY_S,
    minRuns: 3,
  },
  {
    plugin: 'provisioning',
    task: 'provisioning-s3-expire',
    frequencyS: FREQUENCY_S,
    minRuns: 3,
  },
  {
    plugin: 'search',
    task: 'techdocs-prebuild',
    frequencyS: FREQUENCY_S,
    // The first run builds the sample docs with mkdocs and may take most of the window.
    minRuns: 1,
    logLine: /TechDocs prebuild: \d+ entities with docs/g,
  },
  // The search indexes run once at first and then when the prebuild triggers them
  // (their own interval is set long below): one indexing per trigger, not one per
  // replica.
  { plugin: 'search', task: 'search_index_techdocs', minRuns: 1 },
  { plugin: 'search', task: 'search_index_software_catalog', minRuns: 1 },
  {
    plugin: 'catalog',
    task: 'paved-provisioned-resources-refresh',
    // Not configurable: the provider's fixed 5 s.
    frequencyS: 5,
    minRuns: 4,
  },
  {
    plugin: 'upgrades',
    task: 'upgrades-campaign-reminders',
    frequencyS: FREQUENCY_S,
    minRuns: 3,
  },
];

/** Records each claim and release of a task (see the file comment). */
const RUN_LOG_DDL = `
CREATE TABLE IF NOT EXISTS paved_test_task_runs (
  ticket text PRIMARY KEY,
  task text NOT NULL,
  slot timestamptz,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  error text
);
CREATE OR REPLACE FUNCTION paved_test_record_task_run() RETURNS trigger AS $$
BEGIN
  IF OLD.current_run_ticket IS NULL AND NEW.current_run_ticket IS NOT NULL THEN
    INSERT INTO paved_test_task_runs (ticket, task, slot, started_at)
      VALUES (NEW.current_run_ticket, NEW.id, OLD.next_run_start_at, clock_timestamp());
  ELSIF OLD.current_run_ticket IS NOT NULL AND NEW.current_run_ticket IS NULL THEN
    UPDATE paved_test_task_runs
      SET ended_at = clock_timestamp(), error = NEW.last_run_error_json
      WHERE ticket = OLD.current_run_ticket;
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS paved_test_record_task_run ON backstage_backend_tasks__tasks;
CREATE TRIGGER paved_test_record_task_run
  AFTER UPDATE ON backstage_backend_tasks__tasks
  FOR EACH ROW EXECUTE FUNCTION paved_test_record_task_run();
`;

interface TaskRun {
  ticket: string;
  task: string;
  slot: Date | null;
  started_at: Date;
  ended_at: Date | null;
  error: string | null;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('three replicas of the production bundle on one Postgres', () => {
  const pg = requireTestPostgres();
  const s3 = requireTestS3();
  const cluster = requireTestCluster();
  const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  const pgUrl = (database = 'postgres') =>
    `postgresql://${encodeURIComponent(pg.user)}:${encodeURIComponent(
      pg.password,
    )}@${pg.host}:${pg.port}/${database}`;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `paved-${RUN}-`));

  let idp: LocalIdentityProvider;
  let proxy: Awaited<ReturnType<typeof startRoundRobinProxy>>;
  const replicas: BundledBackend[] = [];
  /** When all three were ready and the trigger recorded runs. */
  let allReadyAt = 0;
  let triggersInstalled: Promise<void>;
  let stopInstalling = false;
  /** The platform admin's Backstage token, from the OIDC sign-in test. */
  let adminToken = '';
  /** Provisioning requests this file made, to clean up after. */
  const requestIds: string[] = [];

  const plugins = [...new Set(JOBS.map(job => job.plugin))];

  async function withDatabase<T>(
    database: string,
    fn: (client: Client) => Promise<T>,
  ): Promise<T> {
    const client = new Client({ connectionString: pgUrl(database) });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  /** Installs the run recorder in each plugin database as soon as its table exists. */
  async function installTriggers() {
    await Promise.all(
      plugins.map(async plugin => {
        for (;;) {
          if (stopInstalling) return;
          try {
            const done = await withDatabase(
              `${PREFIX}${plugin}`,
              async client => {
                const { rows } = await client.query(
                  `SELECT to_regclass('backstage_backend_tasks__tasks') AS t`,
                );
                if (!rows[0].t) return false;
                await client.query(RUN_LOG_DDL);
                return true;
              },
            );
            if (done) return;
          } catch {
            // The database does not exist yet.
          }
          await sleep(100);
        }
      }),
    );
  }

  async function taskRuns(): Promise<TaskRun[]> {
    const all = await Promise.all(
      plugins.map(plugin =>
        withDatabase(`${PREFIX}${plugin}`, async client => {
          const { rows } = await client.query<TaskRun>(
            'SELECT * FROM paved_test_task_runs ORDER BY started_at',
          );
          return rows;
        }),
      ),
    );
    return all.flat();
  }

  /** The API through `base` (a replica or the proxy) with the CI token or `token`. */
  async function api<T = any>(
    base: string,
    method: string,
    apiPath: string,
    body?: unknown,
    token = CI_TOKEN,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${base}${apiPath}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON: kept as text for the failure message.
    }
    return { status: response.status, body: parsed };
  }

  async function ok<T = any>(
    base: string,
    method: string,
    apiPath: string,
    body?: unknown,
    token?: string,
  ): Promise<T> {
    const result = await api<T>(base, method, apiPath, body, token);
    if (result.status >= 300) {
      throw new Error(
        `${method} ${base}${apiPath}: ${result.status} ${JSON.stringify(
          result.body,
        ).slice(0, 500)}`,
      );
    }
    return result.body;
  }

  /** Waits for readiness; on failure says which plugins were still starting. */
  async function untilReady(replica: BundledBackend, timeoutMs = 180_000) {
    let exit: unknown;
    replica.exited.then(e => {
      exit = e;
    });
    let problem: string | undefined;
    try {
      const outcome = await waitFor(
        `the replica at ${replica.url} ready`,
        async () => {
          if (exit) return `it exited: ${JSON.stringify(exit)}`;
          // A failed start leaves the process up, answering 503: stop waiting.
          if (replica.logs().includes('Backend startup failed')) {
            return 'its start failed';
          }
          const response = await fetch(
            `${replica.url}/.backstage/health/v1/readiness`,
          );
          return response.status === 200 && 'ready';
        },
        { timeoutMs, intervalMs: 1000 },
      );
      if (outcome !== 'ready') problem = outcome;
    } catch (error) {
      problem = (error as Error).message;
    }
    if (problem) {
      const logs = replica.logs();
      const progress = logs.match(/Plugin initialization[^"]*/g) ?? [];
      const errors =
        logs.match(/"level":"error","message":"[^"]{0,300}/g) ?? [];
      throw new Error(
        `The replica at ${replica.url} did not start: ${problem}; ${progress.at(
          -1,
        )}; errors: ${errors.slice(-5).join(' | ')}`,
      );
    }
  }

  beforeAll(async () => {
    const bundleDir = await backendBundleDir();
    proxy = await startRoundRobinProxy([]);
    idp = await startLocalIdentityProvider({
      port: 0,
      clients: [
        {
          clientId: OIDC_CLIENT_ID,
          clientSecret: OIDC_CLIENT_SECRET,
          redirectUris: [`${proxy.url}/api/auth/oidc/handler/frame`],
        },
      ],
      accounts: readSampleAccounts(path.join(ROOT, 'examples/org/org')),
    });
    const caFile = cluster.kubeConfig.getCurrentCluster()?.caFile ?? '';
    const env: Record<string, string> = {
      POSTGRES_HOST: pg.host,
      POSTGRES_PORT: String(pg.port),
      POSTGRES_USER: pg.user,
      POSTGRES_PASSWORD: pg.password,
      // One secret for all replicas: service tokens of one are valid on the others.
      BACKEND_SECRET: randomBytes(32).toString('hex'),
      PAVED_CI_TOKEN: CI_TOKEN,
      PAVED_BASE_URL: proxy.url,
      PAVED_GITHUB_ORG: 'paved-replicas-test',
      GITHUB_TOKEN: 'placeholder-not-used',
      AUTH_GITHUB_CLIENT_ID: 'placeholder-not-used',
      AUTH_GITHUB_CLIENT_SECRET: 'placeholder-not-used',
      AUTH_SESSION_SECRET: randomBytes(32).toString('hex'),
      AUTH_OIDC_METADATA_URL: `${idp.issuer}/.well-known/openid-configuration`,
      AUTH_OIDC_CLIENT_ID: OIDC_CLIENT_ID,
      AUTH_OIDC_CLIENT_SECRET: OIDC_CLIENT_SECRET,
      PAVED_K8S_URL: cluster.url,
      ...(caFile && { PAVED_K8S_CA_FILE: caFile }),
    };
    const kubernetes = { kubeconfigPath: cluster.portalKubeconfigPath };
    const extraConfig = {
      // Behind the load balancer: one public URL for all replicas.
      app: { baseUrl: proxy.url },
      backend: {
        baseUrl: proxy.url,
        cors: { origin: proxy.url },
        database: { prefix: PREFIX },
      },
      search: {
        collators: {
          techdocs: {
            schedule: schedule(600),
          },
          catalog: {
            schedule: schedule(600),
          },
        },
      },
      scorecard: {
        schedule: { full: schedule(), incremental: schedule() },
      },
      adoption: {
        schedule: {
          rollups: schedule(),
          retention: schedule(),
          scaffolderRuns: schedule(),
        },
      },
      paved: {
        techdocs: { prebuild: { schedule: schedule() } },
        upgrades: { campaigns: { reminderSchedule: schedule() } },
      },
      provisioning: {
        worker: {
          concurrency: 4,
          pollInterval: { milliseconds: 100 },
          leaseDuration: { seconds: 2 },
          observeInterval: { milliseconds: 500 },
          retry: {
            maxAttempts: 30,
            initialBackoff: { milliseconds: 200 },
            maxBackoff: { seconds: 1 },
          },
        },
        expiry: { frequency: `PT${FREQUENCY_S}S` },
        reconcile: { frequency: `PT${FREQUENCY_S}S` },
        postgres: {
          targets: [
            {
              id: 'main',
              host: pg.host,
              port: pg.port,
              adminUser: pg.user,
              adminPassword: pg.password,
              sslMode: 'disable',
              default: true,
            },
          ],
          kubernetes,
          backups: {
            store: { type: 'folder', path: path.join(tmp, 'backups') },
            frequency: `PT${FREQUENCY_S}S`,
            initialDelay: 'PT6S',
          },
          purgeSchedule: schedule(),
        },
        s3: {
          endpoint: s3.endpoint,
          region: s3.region,
          forcePathStyle: true,
          accessKeyId: s3.accessKeyId,
          secretAccessKey: s3.secretAccessKey,
          accessKeys: { type: 'versitygw', adminEndpoint: s3.adminEndpoint },
          bucketPrefix: `${RUN}-`,
          kubernetes,
          purgeSchedule: schedule(),
          expirySchedule: schedule(),
        },
        environments: { kubernetes },
      },
    };
    triggersInstalled = installTriggers();
    const start = () =>
      startBundledBackend({
        bundleDir,
        configs: [
          path.join(bundleDir, 'app-config.yaml'),
          path.join(bundleDir, 'app-config.production.yaml'),
          path.join(ROOT, 'app-config.oidc.yaml'),
        ],
        extraConfig,
        env,
        // Waited for below, to tell which plugin holds a replica up.
        waitUntilReady: false,
      });
    // As a rolling deployment does: the first replica migrates the databases, then
    // the other two join.
    replicas.push(await start());
    await untilReady(replicas[0]);
    replicas.push(...(await Promise.all([start(), start()])));
    await Promise.all(replicas.slice(1).map(replica => untilReady(replica)));
    allReadyAt = Date.now();
    proxy.setTargets(replicas.map(replica => replica.url));
    await triggersInstalled;
  }, 360_000);

  afterAll(async () => {
    stopInstalling = true;
    await Promise.all(replicas.map(replica => replica.stop()));
    await proxy?.stop();
    await idp?.stop();
    // What the requests made on the shared servers: databases and roles marked with
    // their ids, the owner's namespace; then this file's own databases.
    await withDatabase('postgres', async client => {
      for (const kind of ['database', 'role'] as const) {
        const { rows } = await client.query<{ name: string; comment: string }>(
          kind === 'database'
            ? `SELECT datname AS name, shobj_description(oid, 'pg_database') AS comment FROM pg_database`
            : `SELECT rolname AS name, shobj_description(oid, 'pg_authid') AS comment FROM pg_roles`,
        );
        for (const { name, comment } of rows) {
          if (
            name.startsWith(PREFIX) ||
            requestIds.some(id => comment === `paved:request:${id}`)
          ) {
            await client
              .query(
                kind === 'database'
                  ? `DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`
                  : `DROP ROLE IF EXISTS ${ident(name)}`,
              )
              .catch(() => undefined);
          }
        }
      }
    }).catch(() => undefined);
    await core
      // The owner's namespace (teamNamespace: `team-` and the group name less `-team`).
      .deleteNamespace({ name: `team-${RUN}` })
      .catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('runs every scheduled job once per interval across the replicas', async () => {
    await sleep(Math.max(0, allReadyAt + WINDOW_MS - Date.now()));
    const windowStart = allReadyAt;
    const windowEnd = Date.now();
    const runs = await taskRuns();
    const report: string[] = [];
    const problems: string[] = [];
    for (const job of JOBS) {
      const ofJob = runs.filter(run => run.task === job.task);
      if (ofJob.length === 0) {
        const row = await withDatabase(`${PREFIX}${job.plugin}`, client =>
          client.query(
            'SELECT next_run_start_at, current_run_ticket, last_run_ended_at, settings_json FROM backstage_backend_tasks__tasks WHERE id = $1',
            [job.task],
          ),
        );
        const lines = replicas.flatMap(replica =>
          replica
            .logs()
            .split('\n')
            .filter(line => line.includes(job.task))
            .slice(-3),
        );
        problems.push(
          `${job.task} (${
            job.plugin
          }) never ran as a global task; its row: ${JSON.stringify(
            row.rows,
          )}; its log lines: ${lines.join(' | ').slice(0, 1500)}`,
        );
        continue;
      }
      // Each slot of the schedule served once: no replica ran a slot another ran.
      const slots = ofJob.map(run => run.slot?.toISOString() ?? 'none');
      const repeated = slots.filter((slot, i) => slots.indexOf(slot) !== i);
      if (repeated.length > 0) {
        problems.push(`${job.task} ran slot(s) ${repeated.join(', ')} twice`);
      }
      // Consecutive runs never overlap.
      for (let i = 1; i < ofJob.length; i++) {
        const previousEnd = ofJob[i - 1].ended_at;
        if (!previousEnd || previousEnd > ofJob[i].started_at) {
          problems.push(`${job.task}: two runs overlapped`);
        }
      }
      const longestS =
        Math.max(
          0,
          ...ofJob.map(run =>
            run.ended_at
              ? run.ended_at.getTime() - run.started_at.getTime()
              : 0,
          ),
        ) / 1000;
      const failed = ofJob.filter(run => run.error);
      if (failed.length > 0) {
        problems.push(`${job.task} failed: ${failed[0].error}`);
      }
      const inWindow = ofJob.filter(
        run =>
          run.started_at.getTime() >= windowStart &&
          run.started_at.getTime() < windowEnd,
      );
      const windowS = (windowEnd - windowStart) / 1000;
      // One run per interval: about window/frequency, never one per replica.
      const maxRuns = job.frequencyS
        ? Math.ceil(windowS / job.frequencyS) + 1
        : // Triggered by the prebuild: at most one run per prebuild run, plus the
          // scheduled first one.
          runs.filter(run => run.task === 'techdocs-prebuild').length + 1;
      if (inWindow.length < job.minRuns || inWindow.length > maxRuns) {
        problems.push(
          `${job.task} ran ${inWindow.length} times in ${windowS.toFixed(
            0,
          )} s, expected ${job.minRuns}..${maxRuns}`,
        );
      }
      if (job.logLine) {
        // The job's own line, summed over the replicas' logs, matches the recorded
        // runs: ended runs each logged once; a run under way may have logged already.
        const logged = replicas.map(
          replica => replica.logs().match(job.logLine!)?.length ?? 0,
        );
        const total = logged.reduce((a, b) => a + b, 0);
        const ended = ofJob.filter(run => run.ended_at).length;
        if (total < ended || total > ofJob.length) {
          problems.push(
            `${job.task}: ${total} log lines for ${ended} ended of ${ofJob.length} runs`,
          );
        }
        report.push(
          `${job.task}: ${inWindow.length} runs in window (${
            ofJob.length
          } in all, longest ${longestS.toFixed(
            1,
          )} s), log lines per replica ${logged.join('/')}`,
        );
      } else {
        report.push(
          `${job.task}: ${inWindow.length} runs in window (${
            ofJob.length
          } in all, longest ${longestS.toFixed(1)} s)`,
        );
      }
    }
    // eslint-disable-next-line no-console
    console.log(`Scheduled jobs over three replicas:\n${report.join('\n')}`);
    expect(problems).toEqual([]);
  });

  it('signs a user in through OIDC across replicas; the token works on each', async () => {
    await waitFor(
      `${ADMIN} in the catalog`,
      async () =>
        (
          await api(
            proxy.url,
            'GET',
            `/api/catalog/entities/by-name/user/default/${ADMIN}`,
          )
        ).status === 200,
      { timeoutMs: 60_000 },
    );
    const browser = new CookieBrowser();
    // /start on replica 0 ...
    const start = await browser.request(
      `${replicas[0].url}/api/auth/oidc/start?${new URLSearchParams({
        env: 'production',
        scope: 'openid profile email',
        origin: proxy.url,
      })}`,
    );
    expect(start.status).toBe(302);
    let location = start.location!;
    expect(location.startsWith(`${idp.issuer}/`)).toBe(true);
    let callback: string | undefined;
    for (let step = 0; step < 10 && !callback; step++) {
      if (location.startsWith(`${proxy.url}/api/auth/oidc/handler/frame`)) {
        callback = location;
        break;
      }
      const page = await browser.request(location);
      if (page.status === 200 && page.body.includes('name="password"')) {
        const action = page.body.match(/<form method="post" action="([^"]+)"/);
        const submitted = await browser.request(
          new URL(action![1], location).toString(),
          {
            method: 'POST',
            body: new URLSearchParams({
              username: ADMIN,
              password: LOCAL_PASSWORD,
            }),
          },
        );
        location = submitted.location!;
      } else if (page.location) {
        location = page.location;
      } else {
        throw new Error(`unexpected page ${page.status}: ${page.body}`);
      }
    }
    expect(callback).toBeDefined();
    // ... and the callback, addressed to the load balancer, on replica 1.
    const onReplica1 = callback!.replace(proxy.url, replicas[1].url);
    const page = await browser.request(onReplica1);
    const match = page.body.match(
      /var authResponse = decodeURIComponent\('(.*?)'\)/,
    );
    if (!match) throw new Error(`no authorization response: ${page.body}`);
    const response = JSON.parse(decodeURIComponent(match[1]));
    expect(response.type).toBe('authorization_response');
    const { identity, token } = response.response.backstageIdentity;
    expect(identity.userEntityRef).toBe(`user:default/${ADMIN}`);
    for (const replica of replicas) {
      // Signed by replica 1 with the keys all replicas share in the auth database.
      const me = await api(
        replica.url,
        'GET',
        '/api/auth/v1/userinfo',
        undefined,
        token,
      );
      expect(me).toMatchObject({
        status: 200,
        body: { claims: { sub: `user:default/${ADMIN}` } },
      });
      const forged = await api(
        replica.url,
        'GET',
        '/api/auth/v1/userinfo',
        undefined,
        `${token.slice(0, -4)}AAAA`,
      );
      expect(forged.status).toBe(401);
    }
    adminToken = token;
  });

  /** Waits until every request is in a final state; returns them. */
  async function settle(base: string, ids: string[], timeoutMs = 90_000) {
    return waitFor(
      `requests ${ids.join(', ')} settled`,
      async () => {
        const details = await Promise.all(
          ids.map(id => ok(base, 'GET', `/api/provisioning/requests/${id}`)),
        );
        return (
          details.every(d =>
            ['ready', 'failed', 'rejected', 'deleted'].includes(d.state),
          ) && details
        );
      },
      { timeoutMs, intervalMs: 300 },
    );
  }

  /** Databases and roles marked with the request id, and its Secrets. */
  async function footprint(id: string) {
    const marked = await withDatabase('postgres', async client => {
      const databases = await client.query(
        `SELECT datname FROM pg_database WHERE shobj_description(oid, 'pg_database') = $1`,
        [`paved:request:${id}`],
      );
      const roles = await client.query(
        `SELECT rolname FROM pg_roles WHERE shobj_description(oid, 'pg_authid') = $1`,
        [`paved:request:${id}`],
      );
      return { databases: databases.rowCount, roles: roles.rowCount };
    });
    const secrets = await core.listSecretForAllNamespaces({
      labelSelector: `paved.dev/request-id=${id}`,
    });
    return { ...marked, secrets: secrets.items.length };
  }

  async function fileRequests(base: string, count: number, type = 'postgres') {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const created = await ok(base, 'POST', '/api/provisioning/requests', {
        type,
        name: `${RUN}-${type === 'postgres' ? 'db' : 'env'}${
          requestIds.length
        }`,
        owner: OWNER,
        parameters: {},
      });
      ids.push(created.id);
      requestIds.push(created.id);
    }
    return ids;
  }

  it('provisions and deletes databases with calls spread over the replicas', async () => {
    const ids = await fileRequests(proxy.url, 6);
    const settled = await settle(proxy.url, ids);
    expect(settled.map(d => d.state)).toEqual(ids.map(() => 'ready'));
    const made = await Promise.all(ids.map(footprint));
    for (const f of made) {
      expect(f.databases).toBe(1);
      expect(f.roles).toBeGreaterThan(0);
      expect(f.secrets).toBeGreaterThan(0);
    }
    // Every replica answers the same for each request.
    for (const id of ids) {
      const seen = await Promise.all(
        replicas.map(r => ok(r.url, 'GET', `/api/provisioning/requests/${id}`)),
      );
      expect(new Set(seen.map(d => d.state))).toEqual(new Set(['ready']));
    }
    // Deleted through the proxy too; deleted on every replica, Secrets gone.
    const deleted = ids.slice(0, 3);
    for (const id of deleted) {
      await ok(proxy.url, 'DELETE', `/api/provisioning/requests/${id}`);
    }
    const after = await settle(proxy.url, deleted);
    expect(after.map(d => d.state)).toEqual(deleted.map(() => 'deleted'));
    for (const id of deleted) {
      expect((await footprint(id)).secrets).toBe(0);
    }
  });

  it('makes and removes an environment with calls spread over the replicas', async () => {
    const [id] = await fileRequests(proxy.url, 1, 'environment');
    const [ready] = await settle(proxy.url, [id]);
    expect(ready.state).toBe('ready');
    const namespace = await core.readNamespace({ name: ready.name });
    expect(namespace.metadata?.labels).toMatchObject({
      'paved.dev/request-id': id,
    });
    await ok(proxy.url, 'DELETE', `/api/provisioning/requests/${id}`);
    const [gone] = await settle(proxy.url, [id]);
    expect(gone.state).toBe('deleted');
    await waitFor('the namespace deleted', async () => {
      try {
        const left = await core.readNamespace({ name: ready.name });
        return left.metadata?.deletionTimestamp !== undefined;
      } catch (error) {
        return statusCodeOf(error) === 404;
      }
    });
  });

  it('keeps an incident consistent when each step goes to another replica', async () => {
    expect(adminToken).not.toBe('');
    const [a, b, c] = replicas.map(r => r.url);
    const opened = await ok(
      a,
      'POST',
      '/api/incidents/incidents',
      {
        entityRef: 'component:default/cart-service',
        severity: 'sev3',
        summary: `Replica test ${RUN}`,
      },
      adminToken,
    );
    await ok(
      b,
      'POST',
      `/api/incidents/incidents/${opened.id}/notes`,
      { text: 'note from replica 2' },
      adminToken,
    );
    await ok(
      c,
      'POST',
      `/api/incidents/incidents/${opened.id}/status`,
      { status: 'identified' },
      adminToken,
    );
    await ok(
      a,
      'POST',
      `/api/incidents/incidents/${opened.id}/resolve`,
      { cause: 'replica test' },
      adminToken,
    );
    const seen = await Promise.all(
      replicas.map(r =>
        ok(
          r.url,
          'GET',
          `/api/incidents/incidents/${opened.id}`,
          undefined,
          adminToken,
        ),
      ),
    );
    for (const incident of seen) {
      expect(incident.status).toBe('resolved');
      expect(incident.timeline).toEqual(seen[0].timeline);
      expect(
        JSON.stringify(incident.timeline).split('note from replica 2').length -
          1,
      ).toBe(1);
    }
  });

  it('runs a runbook started on one replica once, seen alike on all', async () => {
    const entityRef = 'component:default/cart-service';
    const { taskId } = await ok(
      replicas[1].url,
      'POST',
      '/api/runbooks/runs',
      { templateRef: 'template:default/collect-diagnostics', entityRef },
      adminToken,
    );
    const outcome = await waitFor(
      'the runbook run finished',
      async () => {
        const { items } = await ok(
          replicas[2].url,
          'GET',
          `/api/runbooks/runs?entityRef=${encodeURIComponent(entityRef)}`,
          undefined,
          adminToken,
        );
        const run = items.find((r: any) => r.taskId === taskId);
        return (
          run && ['completed', 'failed'].includes(run.outcome) && run.outcome
        );
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    // eslint-disable-next-line no-console
    console.log(`Runbook run ${taskId}: ${outcome} on every replica`);
    for (const replica of replicas) {
      const { items } = await ok(
        replica.url,
        'GET',
        `/api/runbooks/runs?entityRef=${encodeURIComponent(entityRef)}`,
        undefined,
        adminToken,
      );
      expect(items.find((r: any) => r.taskId === taskId)?.outcome).toBe(
        outcome,
      );
    }
    // The scaffolder task behind it ran once: one completion event.
    const events = await ok(
      replicas[0].url,
      'GET',
      `/api/scaffolder/v2/tasks/${taskId}/events`,
      undefined,
      adminToken,
    );
    expect(events.filter((e: any) => e.type === 'completion').length).toBe(1);
  });

  it('finishes what a SIGKILLed replica was provisioning, leaving nothing half-made', async () => {
    const victim = replicas[2];
    const ids: string[] = [];
    let killed: { id: string; step: string | null } | undefined;
    // File through every replica until the victim's worker holds an operation, then
    // kill it there and then.
    for (let batch = 0; batch < 4 && !killed; batch++) {
      ids.push(...(await fileRequests(victim.url, 6)));
      const deadline = Date.now() + 10_000;
      while (!killed && Date.now() < deadline) {
        const { rows } = await withDatabase(`${PREFIX}provisioning`, client =>
          client.query<{ id: string; step: string | null }>(
            `SELECT id, step FROM provisioning_operations WHERE status = 'running' AND lease_owner LIKE $1`,
            [`%:${victim.pid}:%`],
          ),
        );
        if (rows.length > 0) {
          await victim.kill();
          killed = rows[0];
        }
      }
    }
    if (!killed) {
      throw new Error(
        'the victim replica never held an operation while the test looked',
      );
    }
    expect(await victim.exited).toMatchObject({ signal: 'SIGKILL' });
    // eslint-disable-next-line no-console
    console.log(
      `SIGKILLed replica ${victim.pid} holding operation ${killed.id} at step ${killed.step}`,
    );
    proxy.setTargets(replicas.slice(0, 2).map(r => r.url));
    const settled = await settle(replicas[0].url, ids, 120_000);
    expect(settled.map(d => [d.id, d.state])).toEqual(
      ids.map(id => [id, 'ready']),
    );
    // The operation it held was finished by another replica.
    const finished = await withDatabase(
      `${PREFIX}provisioning`,
      async client =>
        (
          await client.query(
            `SELECT status, lease_owner FROM provisioning_operations WHERE id = $1`,
            [killed!.id],
          )
        ).rows[0],
    );
    expect(finished.status).toBe('succeeded');
    // Each request has exactly one database and its Secret: nothing twice, nothing
    // left half-made.
    for (const id of ids) {
      const f = await footprint(id);
      expect(f.databases).toBe(1);
      expect(f.secrets).toBeGreaterThan(0);
    }
  });
});

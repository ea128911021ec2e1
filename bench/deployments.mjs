#!/usr/bin/env node
/*
 * Benchmark: a deployment, from POST /requests (type `workload`, the path the
 * deployments API takes) until GET /requests/:id says `ready`, through a real backend
 * process (packages/provisioning-chaos/src/backend.ts with the postgres, rabbitmq,
 * environments and score modules) with the worker's default settings. Each workload
 * is a Score workload with a service port and two resources, a `postgres` database
 * and an `amqp` queue, whose host and password placeholders its variables use; each
 * goes into an environment of its own, made and ready beforehand (not timed). So a
 * first deployment includes making a database and a queue in that environment.
 *
 * Baseline, measured in the same run on the same servers: the same manifests
 * (renderWorkload's output for that workload, with the same secretKeyRefs) applied
 * with client-node server-side apply, as the portal's identity, into a fresh namespace
 * that has a Secret with the referenced keys (made first, not timed), until the pods
 * are Ready. A redeploy (the `deploy` action with a new image: resources already
 * there, reused) is measured against the same baseline, and against a second one:
 * the baseline's Deployment applied again with the new image until it rolled out.
 *
 * Two times per deployment: the client's (the POST until it reads the result,
 * polling every --poll-ms) and the server's own (the request's createdAt until its
 * `ready` event; for a redeploy, the operation's createdAt until its finishedAt).
 *
 * Needs BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING (a superuser URL),
 * PAVED_TEST_KUBECONFIG, PAVED_TEST_PORTAL_KUBECONFIG and PAVED_TEST_RABBITMQ_*;
 * bench/deployments.sh starts throwaway ones. Options: --count N (default 20),
 * --concurrency C (default 1), --poll-ms M (default 25).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {
  ROOT,
  requireChaos,
  serverTime,
  sleep,
  startBackend,
  until as untilPolled,
} from './lib/backend.mjs';
import { lineWriter, loadavg, timed as timedRuns } from './lib/figures.mjs';
import {
  PG,
  adminKc,
  deleteRunVhosts,
  dropRunDatabases,
  kubeConfig,
  missingVariables,
  portalKc,
  rabbitmqApi,
  rabbitmqServer,
} from './lib/servers.mjs';

const SCORE = path.join(ROOT, 'plugins/provisioning-backend-module-score');
const requireScore = createRequire(path.join(SCORE, 'package.json'));
// The renderer and the resource types' Score outputs, from their TypeScript sources
// (as the backend's dev mode loads them): the baseline applies what the type renders.
requireScore(
  requireScore.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
);
const { renderWorkload } = requireScore('./src/render/index.ts');
const { readScoreConfig, workloadRequestName } = requireScore('./src/index.ts');
const { ConfigReader } = requireScore('@backstage/config');
const { postgresScore } = requireChaos(
  path.join(ROOT, 'plugins/provisioning-backend-module-postgres/src/score.ts'),
);
const { queueScore } = requireChaos(
  path.join(ROOT, 'plugins/provisioning-backend-module-rabbitmq/src/score.ts'),
);
const k8s = await import(requireChaos.resolve('@kubernetes/client-node'));

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const COUNT = arg('count', 20);
const CONCURRENCY = arg('concurrency', 1);
const POLL_MS = arg('poll-ms', 25);

const missing = missingVariables({ rabbitmq: true });
if (missing.length > 0) {
  console.error(
    `Needs ${missing.join(
      ', ',
    )}; use bench/deployments.sh (yarn bench:deployments)`,
  );
  process.exit(2);
}
if (
  ![COUNT, CONCURRENCY, POLL_MS].every(n => Number.isInteger(n) && n > 0) ||
  CONCURRENCY > COUNT
) {
  console.error(
    '--count, --concurrency and --poll-ms take whole numbers above 0; --concurrency at most --count',
  );
  process.exit(2);
}
const RUN = `b${randomBytes(3).toString('hex')}`;
const OWNER = `group:default/${RUN}-team`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-bench-'));
const RABBITMQ = rabbitmqServer();
const rabbitmq = rabbitmqApi(RABBITMQ);
// What the backend renders with: provisioning.score without defaults of its own.
const DEFAULTS = readScoreConfig(
  new ConfigReader({
    provisioning: { score: { kubernetes: { kubeconfigPath: portalKc } } },
  }),
).defaults;

const adminCore = kubeConfig(adminKc).makeApiClient(k8s.CoreV1Api);
const portal = kubeConfig(portalKc);
const portalObjects = k8s.KubernetesObjectApi.makeApiClient(portal);
const portalCore = portal.makeApiClient(k8s.CoreV1Api);

/** The Score workload of a bench workload: a port, a database and a queue. */
const scoreWorkload = name => ({
  apiVersion: 'score.dev/v1b1',
  metadata: { name },
  service: { ports: { http: { port: 8080, targetPort: 8080 } } },
  containers: {
    main: {
      image: '.',
      variables: {
        DATABASE_HOST: '${resources.db.host}',
        DATABASE_PASSWORD: '${resources.db.password}',
        AMQP_HOST: '${resources.queue.host}',
        AMQP_PASSWORD: '${resources.queue.password}',
        LOG_LEVEL: 'info',
      },
    },
  },
  resources: { db: { type: 'postgres' }, queue: { type: 'amqp' } },
});

/** Runs `fn(i)` for i in 0..COUNT-1, CONCURRENCY at a time (lib/figures.mjs). */
const timed = fn => timedRuns(COUNT, CONCURRENCY, fn);

// ---------------------------------------------------------------- the backend
/** Polls the request until `done(request)` says so; throws when it failed. */
const until = (api, id, done) => untilPolled(api, id, POLL_MS, done);

const envName = i => `${RUN}-e${i}`;
const workloadName = `${RUN}-orders`;

/** The environments the workloads go into, all at once, until ready (not timed). */
async function makeEnvironments(api, labels) {
  const ids = await Promise.all(
    labels.map(async label => {
      const { id } = await api('POST', '/requests', {
        type: 'environment',
        name: envName(label),
        owner: OWNER,
        parameters: { size: 'medium', expires: true, ttlHours: 24 },
      });
      return id;
    }),
  );
  for (const id of ids) {
    await until(api, id, r => (r.state === 'ready' ? r : undefined));
  }
}

/** The workload requests' ids, by label. */
const workloadIds = new Map();

/** The first deployment of the workload into environment `label`: POST until ready. */
async function deploy(api, label) {
  const environmentName = envName(label);
  const { id } = await api('POST', '/requests', {
    type: 'workload',
    name: workloadRequestName(workloadName, environmentName),
    owner: OWNER,
    parameters: {
      component: `component:default/${workloadName}`,
      environmentName,
      image: 'registry.test/orders:1',
      gitRef: 'v1',
      workload: scoreWorkload(workloadName),
    },
  });
  workloadIds.set(label, id);
  return until(api, id, r => (r.state === 'ready' ? serverTime(r) : undefined));
}

/** A redeploy of a new image through the `deploy` action: POST until it succeeded. */
async function redeploy(api, label) {
  const id = workloadIds.get(label);
  const { id: operationId } = await api(
    'POST',
    `/requests/${id}/actions/deploy`,
    {
      input: {
        image: 'registry.test/orders:2',
        gitRef: 'v2',
        workload: scoreWorkload(workloadName),
      },
    },
  );
  return until(api, id, r => {
    const op = r.operations.find(o => o.id === operationId);
    if (op?.status === 'failed') {
      throw new Error(`redeploy of ${r.name} failed: ${op.lastError}`);
    }
    return op?.status === 'succeeded'
      ? Date.parse(op.finishedAt) - Date.parse(op.createdAt)
      : undefined;
  });
}

// ---------------------------------------------------------------- baseline
/**
 * The objects the type rendered for workload `label`'s first deployment: its
 * resources' outputs as the types give them to placeholders, so the same
 * secretKeyRefs; the namespace is the baseline's own.
 */
async function renderedFor(api, label, namespace) {
  const workload = await api('GET', `/requests/${workloadIds.get(label)}`);
  const db = await api('GET', `/requests/${workload.outputs.resources.db}`);
  const queue = await api(
    'GET',
    `/requests/${workload.outputs.resources.queue}`,
  );
  return renderWorkload({
    workload: scoreWorkload(workloadName),
    namespace,
    environment: envName(label),
    requestId: workload.id,
    component: `component:default/${workloadName}`,
    image: 'registry.test/orders:1',
    resources: {
      db: postgresScore({}).outputs(db),
      queue: queueScore.outputs(queue),
    },
    defaults: DEFAULTS,
  });
}

/** The Secrets (name → keys) the rendered objects reference. */
function referencedSecrets(rendered) {
  const secrets = new Map();
  const visit = value => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return undefined;
    if (value.secretKeyRef) {
      const { name, key } = value.secretKeyRef;
      secrets.set(name, new Set([...(secrets.get(name) ?? []), key]));
    }
    return Object.values(value).forEach(visit);
  };
  visit(rendered);
  return secrets;
}

const KIND_ORDER = ['ConfigMap', 'Service', 'Deployment', 'Ingress'];
const rawNamespaces = [];

/** Per label: the baseline's namespace (with the Secrets made) and objects. */
const prepared = new Map();

async function prepareRaw(api, label) {
  const namespace = `${RUN}-raw-${label}`;
  rawNamespaces.push(namespace);
  await adminCore.createNamespace({ body: { metadata: { name: namespace } } });
  const rendered = await renderedFor(api, label, namespace);
  for (const [name, keys] of referencedSecrets(rendered)) {
    await portalCore.createNamespacedSecret({
      namespace,
      body: {
        metadata: { name },
        stringData: Object.fromEntries(
          [...keys].map(k => [k, randomBytes(16).toString('hex')]),
        ),
      },
    });
  }
  prepared.set(label, {
    namespace,
    objects: [...rendered]
      .sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind))
      .map(o => ({ ...o, metadata: { ...o.metadata, namespace } })),
  });
}

const isReady = pod =>
  !pod.metadata?.deletionTimestamp &&
  pod.status?.phase === 'Running' &&
  (pod.status?.conditions ?? []).some(
    c => c.type === 'Ready' && c.status === 'True',
  );

/** Server-side apply of the rendered objects, then until the pods are Ready. */
async function rawDeploy(label) {
  const { namespace, objects } = prepared.get(label);
  let replicas = 1;
  for (const object of objects) {
    await portalObjects.patch(
      object,
      undefined,
      undefined,
      'paved-bench',
      true,
      k8s.PatchStrategy.ServerSideApply,
    );
    if (object.kind === 'Deployment') replicas = object.spec?.replicas ?? 1;
  }
  for (;;) {
    const pods = await portalCore.listNamespacedPod({ namespace });
    if (pods.items.filter(isReady).length >= replicas) return;
    await sleep(POLL_MS);
  }
}

const portalApps = portal.makeApiClient(k8s.AppsV1Api);

/**
 * The baseline of a redeploy: the Deployment applied again with the new image, until
 * it has rolled out as `kubectl rollout status` sees it (every replica updated and
 * available, no old one left).
 */
async function rawRedeploy(label) {
  const { namespace, objects } = prepared.get(label);
  const deployment = objects.find(o => o.kind === 'Deployment');
  const spec = structuredClone(deployment);
  for (const container of spec.spec.template.spec.containers) {
    container.image = 'registry.test/orders:2';
  }
  await portalObjects.patch(
    spec,
    undefined,
    undefined,
    'paved-bench',
    true,
    k8s.PatchStrategy.ServerSideApply,
  );
  for (;;) {
    const live = await portalApps.readNamespacedDeployment({
      name: spec.metadata.name,
      namespace,
    });
    const want = live.spec?.replicas ?? 1;
    const status = live.status ?? {};
    if (
      (status.observedGeneration ?? 0) >= (live.metadata?.generation ?? 1) &&
      status.updatedReplicas === want &&
      status.availableReplicas === want &&
      status.replicas === want
    ) {
      return;
    }
    await sleep(POLL_MS);
  }
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
  const namespaces = await adminCore.listNamespace();
  await Promise.all(
    namespaces.items
      .map(n => n.metadata.name)
      .filter(name => name.startsWith(RUN) || name === `team-${RUN}`)
      .map(name => adminCore.deleteNamespace({ name }).catch(() => undefined)),
  );
  await dropRunDatabases(RUN);
  await deleteRunVhosts(rabbitmq, RUN);
  fs.rmSync(tmp, { recursive: true, force: true });
}

// ---------------------------------------------------------------- report
const line = lineWriter({ width: 48, digits: 2 });

let backend;
let failed = false;
// Ctrl-C mid-run still removes what the run made (namespaces, databases, vhosts).
process.once('SIGINT', () => {
  cleanup(backend).finally(() => process.exit(130));
});
try {
  backend = await startBackend({
    tmp,
    pg: PG,
    run: RUN,
    kubeconfig: portalKc,
    env: {
      PAVED_CHAOS_RABBITMQ: JSON.stringify(RABBITMQ),
      PAVED_CHAOS_SCORE: '1',
    },
  });
  const labels = ['warm', ...Array.from({ length: COUNT }, (_, i) => i)];
  await makeEnvironments(backend.api, labels);
  console.log(
    `deploy -> ready: ${COUNT} workloads (a postgres database, an amqp queue, a port), ${CONCURRENCY} at a time, ${
      os.cpus().length
    } cores, load average ${loadavg()}, clients poll every ${POLL_MS} ms`,
  );
  // Warm-up (connections, the first database, queue and Secret), not measured.
  await deploy(backend.api, 'warm');
  await prepareRaw(backend.api, 'warm');
  await rawDeploy('warm');
  await redeploy(backend.api, 'warm');
  await rawRedeploy('warm');

  const first = await timed(i => deploy(backend.api, i));
  // The baseline renders each workload with its own resources' outputs, so it runs
  // after the first deployments (its namespaces and Secrets are made untimed first).
  for (let i = 0; i < COUNT; i++) await prepareRaw(backend.api, i);
  const baseline = await timed(i => rawDeploy(i));
  const again = await timed(i => redeploy(backend.api, i));
  const baselineAgain = await timed(i => rawRedeploy(i));

  console.log(`load average after: ${loadavg()}`);
  line('baseline (SSA of the rendered objects -> pods Ready)', baseline);
  line('first deploy -> ready (makes db + queue)', first, baseline);
  line('  server only (createdAt -> ready)', first.server, baseline);
  line('redeploy (deploy action, new image) -> done', again, baseline);
  line('  server only (operation created -> finished)', again.server, baseline);
  line('baseline redeploy (SSA of the new image -> rolled out)', baselineAgain);
  line('redeploy vs that baseline', again, baselineAgain);
  const p95Met = first.p95 <= 3000;
  const firstOverhead = first.p50 / baseline.p50;
  const againOverhead = again.p50 / baseline.p50;
  console.log(
    'goals (client times): deploy -> ready p95 <= 3000 ms; overhead <= 1.5x the baseline (p50)',
  );
  console.log(
    `  first deploy p95 ${first.p95.toFixed(0)} ms (${
      p95Met ? 'met' : 'NOT met'
    }); p50 x${firstOverhead.toFixed(2)} the baseline (${
      firstOverhead <= 1.5 ? 'met' : 'NOT met'
    }; it makes a database and a queue, the baseline does not)`,
  );
  console.log(
    `  redeploy p95 ${again.p95.toFixed(0)} ms (${
      again.p95 <= 3000 ? 'met' : 'NOT met'
    }); p50 x${againOverhead.toFixed(2)} the baseline (${
      againOverhead <= 1.5 ? 'met' : 'NOT met'
    }; resources already provisioned)`,
  );
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

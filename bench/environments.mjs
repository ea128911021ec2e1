#!/usr/bin/env node
/*
 * Benchmark: an `environment` request that copies another environment of 50 objects
 * (10 each of ConfigMaps, Services, Deployments, StatefulSets and Ingresses), run by
 * the type's own steps (plugins/provisioning-backend-module-environments) as the
 * portal's RBAC-limited identity, on a real Kubernetes API server with kwok nodes.
 *
 * - provision: namespace, quota, limits, network policy, role binding, and the copy
 *   (listed in pages, applied 8 at a time by server-side apply). Goal: ≤ 2 s.
 * - create → ready: provision, then `observe` every 100 ms until every workload and
 *   pod of the copy is ready.
 * - Baseline, measured in the same run on the same server: the same 50 objects made
 *   with plain client-node `create` calls, one after the other, in a fresh namespace.
 *
 * Needs PAVED_TEST_KUBECONFIG and PAVED_TEST_PORTAL_KUBECONFIG; bench/environments.sh
 * starts a throwaway cluster. Options: --rounds N (default 5).
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MODULE = path.join(
  ROOT,
  'plugins/provisioning-backend-module-environments',
);
const requireModule = createRequire(path.join(MODULE, 'package.json'));
// Loads the module's TypeScript sources the way the backend's dev mode does.
requireModule(
  requireModule.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
);
const environments = requireModule('./src/index.ts');
const { inMemoryRequestLookup } = requireModule(
  '@paved/plugin-provisioning-node',
);
const { ConfigReader } = requireModule('@backstage/config');
const k8s = await import(requireModule.resolve('@kubernetes/client-node'));

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = arg('rounds', 5);
const adminKc = process.env.PAVED_TEST_KUBECONFIG;
const portalKc = process.env.PAVED_TEST_PORTAL_KUBECONFIG;
if (!adminKc || !portalKc) {
  console.error(
    'Needs PAVED_TEST_KUBECONFIG and PAVED_TEST_PORTAL_KUBECONFIG; use bench/environments.sh (yarn bench:environments)',
  );
  process.exit(2);
}
const RUN = `b${randomBytes(3).toString('hex')}`;
const OWNER = 'group:default/bench-team';
const kubeConfig = file => {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(file);
  return kc;
};
const admin = kubeConfig(adminKc);
const adminObjects = k8s.KubernetesObjectApi.makeApiClient(admin);
const adminCore = admin.makeApiClient(k8s.CoreV1Api);
const portalObjects = k8s.KubernetesObjectApi.makeApiClient(
  kubeConfig(portalKc),
);

const type = environments.createEnvironmentResourceType({
  config: environments.readEnvironmentsConfig(
    new ConfigReader({
      provisioning: {
        environments: { kubernetes: { kubeconfigPath: portalKc } },
      },
    }),
  ),
  objects: new environments.KubernetesObjects(kubeConfig(portalKc)),
});
const logger = {
  info() {},
  warn: console.warn,
  error: console.error,
  debug() {},
  child() {
    return logger;
  },
};

const made = [];
function context(name, parameters, requests = []) {
  made.push(name);
  const checkpoints = new Map();
  const outputs = {};
  return {
    request: {
      id: `bench-${name}`,
      type: 'environment',
      name,
      owner: OWNER,
      parameters: {
        size: 'medium',
        expires: true,
        ttlHours: 72,
        ...parameters,
      },
      createdBy: 'user:default/bench',
    },
    operation: { id: 'bench', kind: 'provision', attempt: 1 },
    logger,
    signal: new AbortController().signal,
    outputs,
    async checkpoint({ key, fn }) {
      if (!checkpoints.has(key)) checkpoints.set(key, await fn());
      return checkpoints.get(key);
    },
    async setOutput(key, value) {
      outputs[key] = value;
    },
    requests: inMemoryRequestLookup(requests),
  };
}

/** The 50 objects of the source environment. */
function sourceObjects() {
  const objects = [];
  for (let i = 0; i < 10; i++) {
    const app = `app-${i}`;
    const pod = {
      metadata: { labels: { app } },
      spec: {
        containers: [
          {
            name: 'main',
            image: `registry.test/${app}:1`,
            // Small, so that 20 pods fit the quota of a medium environment.
            resources: {
              requests: { cpu: '10m', memory: '16Mi' },
              limits: { cpu: '50m', memory: '64Mi' },
            },
          },
        ],
      },
    };
    objects.push(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `${app}-config` },
        data: { LOG_LEVEL: 'info', INDEX: String(i) },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: app },
        spec: { selector: { app }, ports: [{ port: 80, targetPort: 8080 }] },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: app },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app } },
          template: pod,
        },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: `${app}-db` },
        spec: {
          replicas: 1,
          serviceName: app,
          selector: { matchLabels: { app: `${app}-db` } },
          template: { ...pod, metadata: { labels: { app: `${app}-db` } } },
        },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: app },
        spec: {
          rules: [
            {
              host: `${app}.bench.test`,
              http: {
                paths: [
                  {
                    path: '/',
                    pathType: 'Prefix',
                    backend: { service: { name: app, port: { number: 80 } } },
                  },
                ],
              },
            },
          ],
        },
      },
    );
  }
  return objects;
}

const inNamespace = (object, namespace) => ({
  ...object,
  metadata: { ...object.metadata, namespace },
});

async function waitReady(ctx) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const result = await type.observe(ctx);
    if (result.ready) return result;
    if (Date.now() > deadline) {
      throw new Error(
        `environment '${ctx.request.name}' not ready after 120 s: ${result.message}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

const median = values => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
};
const ms = value => `${Math.round(value)} ms`;

async function main() {
  const source = `${RUN}-src`;
  const objects = sourceObjects();
  const sourceCtx = context(source, {});
  await type.provision(sourceCtx);
  for (const object of objects) {
    await adminObjects.create(inNamespace(object, source));
  }
  await waitReady(sourceCtx);
  const referenced = {
    ...sourceCtx.request,
    state: 'ready',
    outputs: { namespace: source },
  };
  console.log(
    `Source environment '${source}': ${objects.length} objects, ready. ${ROUNDS} round(s).`,
  );

  const baseline = [];
  const provision = [];
  const ready = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Baseline: the same objects, created one after the other in a plain namespace.
    const raw = `${RUN}-raw-${round}`;
    made.push(raw);
    await portalObjects.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: raw },
    });
    let t0 = performance.now();
    for (const object of objects) {
      await portalObjects.create(inNamespace(object, raw));
    }
    baseline.push(performance.now() - t0);

    const copy = `${RUN}-copy-${round}`;
    const ctx = context(copy, { source, image: 'registry.test/bench:pr-1' }, [
      referenced,
    ]);
    t0 = performance.now();
    await type.provision(ctx);
    provision.push(performance.now() - t0);
    if (ctx.outputs.clonedObjects !== objects.length) {
      throw new Error(
        `copied ${ctx.outputs.clonedObjects} objects, expected ${objects.length}`,
      );
    }
    await waitReady(ctx);
    ready.push(performance.now() - t0);
    console.log(
      `  round ${round}: baseline ${ms(baseline.at(-1))}, provision ${ms(
        provision.at(-1),
      )}, create → ready ${ms(ready.at(-1))}`,
    );
  }

  const b = median(baseline);
  console.log('');
  console.log(`Medians of ${ROUNDS} round(s), ${objects.length} objects each:`);
  console.log(
    `  baseline: ${objects.length} plain client-node creates, sequential  ${ms(
      b,
    )}`,
  );
  console.log(
    `  provision with clone (namespace + 4 guard rails + copy, 8 at a time)  ${ms(
      median(provision),
    )}  (${(median(provision) / b).toFixed(2)}× baseline; goal ≤ 2000 ms)`,
  );
  console.log(
    `  create → ready (provision, then observe every 100 ms)  ${ms(
      median(ready),
    )}  (${(median(ready) / b).toFixed(2)}× baseline)`,
  );
}

try {
  await main();
} finally {
  await Promise.all(
    made.map(name =>
      adminCore.deleteNamespace({ name }).catch(() => undefined),
    ),
  );
}

/*
 * The sample organisation's maturity story (examples/org/README.md): every sample
 * component sits at the level the README gives it, held back by the checks it names.
 *
 * Everything is real, as `./paved start` runs it: the catalog reads the sample files,
 * the techdocs backend builds their docs with mkdocs, the sample workloads are seeded
 * into the test cluster with scripts/seed-cluster.mjs and read by the scorecard's
 * Kubernetes module, the provisioning plugin's Score module records the sample
 * deployment history (`provisioning.score.sampleHistory`) that the scorecard's
 * deployments module reads through the DORA API, and the scorecard uses the
 * app-config.yaml configuration.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplates from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import catalogModuleRelativeSourceLocations from '@paved/plugin-catalog-backend-module-relative-source-locations';
import techdocsPlugin from '@backstage/plugin-techdocs-backend';
import {
  createTestNamespace,
  requireTestCluster,
  TestNamespace,
} from '@paved/kube-test-utils';
import provisioningPlugin from '@paved/plugin-provisioning-backend';
import provisioningModuleScore from '@paved/plugin-provisioning-backend-module-score';
import scorecardPlugin from '@paved/plugin-scorecard-backend';
import scorecardModuleDeployments from '@paved/plugin-scorecard-backend-module-deployments';
import scorecardModuleKubernetes from '@paved/plugin-scorecard-backend-module-kubernetes';
import {
  capturingRootLogger,
  pavedPolicyPermissions,
  waitFor,
} from '@paved/test-utils';
import { readSampleEntities } from './__testUtils__/readSampleEntities';

const ROOT = path.resolve(__dirname, '../../..');
const PAVED_HOME = process.env.PAVED_HOME ?? path.join(ROOT, '.paved');
const MKDOCS_BIN = path.join(PAVED_HOME, 'venv', 'bin');
const ALICE = 'user:default/alice';
const as = { Authorization: mockCredentials.user.header(ALICE) };

/**
 * Each sample component's level, and the checks of the level above that hold it
 * back (its story), with the sample workloads on a cluster and the sample deployment
 * history: the level-3 components are not deployed through Paved yet, so they have
 * no change failure rate.
 */
const EXPECTED: Record<string, { level: number; next: string[] }> = {
  'storefront-web': { level: 4, next: ['on-call'] },
  'cart-service': { level: 4, next: ['on-call'] },
  'admin-console': {
    level: 3,
    next: ['latest-template-version', 'change-failure-rate', 'k8s-replicas'],
  },
  'returns-service': {
    level: 3,
    next: [
      'latest-template-version',
      'change-failure-rate',
      'observability',
      'k8s-probes',
      'k8s-resource-limits',
      'k8s-replicas',
    ],
  },
  'checkout-service': {
    level: 2,
    next: ['from-golden-path', 'self-service-infrastructure'],
  },
  'payments-api': {
    level: 2,
    next: ['from-golden-path', 'self-service-infrastructure'],
  },
  'catalog-service': {
    level: 2,
    next: ['from-golden-path', 'self-service-infrastructure'],
  },
  'notification-service': {
    level: 2,
    next: ['self-service-infrastructure'],
  },
  'inventory-service': { level: 1, next: ['has-source-location'] },
  'product-feed-exporter': { level: 1, next: ['has-system'] },
  'ui-kit': { level: 1, next: ['has-techdocs'] },
  'money-lib': { level: 1, next: ['has-techdocs'] },
  'ledger-service': { level: 1, next: ['has-techdocs'] },
  'fraud-detector': { level: 1, next: ['has-techdocs'] },
  'search-indexer': { level: 1, next: ['has-techdocs'] },
  'events-pipeline': { level: 1, next: ['has-techdocs'] },
};

/**
 * The checks that a portal without a cluster leaves out: the Kubernetes provider's,
 * and the deployments provider's (no `provisioning.score`, so no deployments API).
 */
const CLUSTER_CHECKS = new Set([
  'k8s-probes',
  'k8s-resource-limits',
  'k8s-replicas',
  'change-failure-rate',
]);

/** The sample workloads' namespaces, which this test replaces by its own. */
const SAMPLE_NAMESPACES = ['team-checkout', 'team-catalog', 'team-payments'];

interface CheckResult {
  checkId: string;
  level: number;
  passed: boolean;
  reason: string;
}

/** The level a track gives when only `checks` count: every check up to it passes. */
function levelOf(checks: CheckResult[]): number {
  const levels = [...new Set(checks.map(c => c.level))].sort((a, b) => a - b);
  let level = 0;
  for (const l of levels) {
    if (!checks.filter(c => c.level === l).every(c => c.passed)) break;
    level = l;
  }
  return level;
}

/**
 * A copy of examples/ whose workloads and components use this run's namespaces
 * instead of team-checkout, team-catalog and team-payments, so that this test never
 * meets another test's (or a developer's) seeded workloads on the shared cluster.
 * Only the namespace names change.
 */
function copySampleWithNamespaces(
  target: string,
  namespaces: Record<string, string>,
) {
  fs.cpSync(path.join(ROOT, 'examples'), target, { recursive: true });
  const pattern = new RegExp(
    `\\b(${Object.keys(namespaces).join('|')})\\b`,
    'g',
  );
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (entry.name.endsWith('.yaml')) {
        const text = fs.readFileSync(file, 'utf8');
        fs.writeFileSync(
          file,
          text.replace(pattern, ns => namespaces[ns]),
        );
      }
    }
  };
  visit(target);
}

describe('the sample organisation on the scorecard', () => {
  const cluster = requireTestCluster();
  const sampleComponents = readSampleEntities(ROOT).filter(
    e => e.kind === 'Component' && e.metadata.name !== 'paved-portal',
  );
  let tmp: string;
  let namespaces: TestNamespace[] = [];
  let cwd: string;

  beforeAll(async () => {
    // The backend runs in packages/backend; the sample's source locations (where
    // TechDocs builds from) are relative to it, as app-config.yaml's file locations are.
    cwd = process.cwd();
    process.chdir(path.join(ROOT, 'packages/backend'));
    // The techdocs backend runs `mkdocs` from PATH (a child process gets the real
    // environment, which a test cannot change); ./paved test puts .paved/venv/bin there.
    const onPath = (process.env.PATH ?? '')
      .split(path.delimiter)
      .some(dir => dir && fs.existsSync(path.join(dir, 'mkdocs')));
    if (!onPath) {
      throw new Error(
        `TechDocs builds need mkdocs on PATH: run this test through ./paved test, or put ${MKDOCS_BIN} on PATH (./paved setup installs it)`,
      );
    }

    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sample-maturity-'));
    namespaces = await Promise.all(
      SAMPLE_NAMESPACES.map(ns => createTestNamespace(cluster.kubeConfig, ns)),
    );
    copySampleWithNamespaces(
      path.join(tmp, 'examples'),
      Object.fromEntries(
        SAMPLE_NAMESPACES.map((ns, i) => [ns, namespaces[i].name]),
      ),
    );
    // Seeded as ./paved start seeds them (server-side apply, admin identity).
    execFileSync(
      process.execPath,
      [
        path.join(ROOT, 'scripts/seed-cluster.mjs'),
        cluster.adminKubeconfigPath,
        path.join(tmp, 'examples/kubernetes'),
      ],
      { encoding: 'utf8' },
    );
  }, 60_000);

  afterAll(async () => {
    if (cwd) process.chdir(cwd);
    await Promise.all(namespaces.map(ns => ns.cleanup()));
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('puts each sample service at its level, for the reasons examples/org/README.md gives', async () => {
    const appConfig = yaml.parse(
      fs.readFileSync(path.join(ROOT, 'app-config.yaml'), 'utf8'),
    );
    const scorecardConfig = appConfig.scorecard ?? {};
    const later = {
      frequency: { hours: 24 },
      timeout: { minutes: 5 },
      initialDelay: { hours: 24 },
    };
    const logs = capturingRootLogger();
    const backend = await startTestBackend({
      features: [
        logs.factory,
        catalogPlugin,
        catalogModuleTemplates,
        catalogModuleRelativeSourceLocations,
        techdocsPlugin,
        scorecardPlugin,
        scorecardModuleKubernetes,
        provisioningPlugin,
        provisioningModuleScore,
        scorecardModuleDeployments,
        databaseServiceFactory,
        pavedPolicyPermissions({ [ALICE]: ['group:default/platform-team'] }),
        mockServices.rootConfig.factory({
          data: {
            // One in-memory SQLite database per plugin, as in the real backend.
            backend: {
              database: { client: 'better-sqlite3', connection: ':memory:' },
            },
            catalog: {
              rules: appConfig.catalog.rules,
              processingInterval: { seconds: 1 },
              locations: [
                { type: 'file', target: path.join(ROOT, 'catalog-info.yaml') },
                {
                  type: 'file',
                  target: path.join(tmp, 'examples/org/all.yaml'),
                },
                {
                  type: 'file',
                  target: path.join(ROOT, 'templates/all.yaml'),
                },
              ],
            },
            // The deployments API with the sample history, as
            // scripts/write-portal-config.mjs configures it for a portal with a cluster.
            provisioning: {
              score: {
                kubernetes: { kubeconfigPath: cluster.portalKubeconfigPath },
                sampleHistory: true,
              },
            },
            techdocs: {
              ...appConfig.techdocs,
              publisher: {
                type: 'local',
                local: { publishDirectory: path.join(tmp, 'techdocs') },
              },
            },
            scorecard: {
              ...scorecardConfig,
              // Incidents live in the incidents backend, which is not part of this
              // test; a fresh portal has none, so "Restores within 4 hours" passes
              // there, and it is a level-5 check that no sample component reaches.
              providers: {
                ...scorecardConfig.providers,
                incidents: { enabled: false },
              },
              kubernetes: { kubeconfigPath: cluster.portalKubeconfigPath },
              // Evaluated on demand below, not on a schedule.
              schedule: { full: later, incremental: later },
            },
          },
        }),
      ],
    });
    const { server } = backend;
    try {
      const wanted = [
        ...readSampleEntities(ROOT).map(e => stringifyEntityRef(e)),
        'template:default/react-web-app',
        'template:default/typescript-service',
        'template:default/typescript-library',
      ];
      await waitFor(
        'the sample organisation and the golden paths, with their relations',
        async () => {
          const res = await request(server)
            .get('/api/catalog/entities/by-query?limit=1000')
            .set(as);
          const items = (res.body.items ?? []) as Entity[];
          const present = new Set(items.map(e => stringifyEntityRef(e)));
          return (
            (wanted.every(ref => present.has(ref)) &&
              items.every(
                e =>
                  (e.relations ?? []).length > 0 ||
                  !['Component', 'Resource'].includes(e.kind),
              )) ||
            undefined
          );
        },
        { timeoutMs: 90_000, intervalMs: 500 },
      );

      // Builds the docs as the portal's TechDocs prebuild does, through the techdocs
      // backend; each must build, from the source location the sample gives it.
      for (const entity of sampleComponents.filter(
        e => e.metadata.annotations?.['backstage.io/techdocs-ref'],
      )) {
        const res = await request(server)
          .get(`/api/techdocs/sync/default/Component/${entity.metadata.name}`)
          .set(as)
          .set('Accept', 'text/event-stream')
          .buffer(true)
          .parse((response, callback) => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', chunk => (body += chunk));
            response.on('end', () => callback(null, body));
          });
        const body = String(res.body);
        expect({
          entity: entity.metadata.name,
          status: res.status,
          error: /^event: error\ndata: (.*)$/m.exec(body)?.[1],
          finished: /^event: finish$/m.test(body),
        }).toEqual({
          entity: entity.metadata.name,
          status: 200,
          error: undefined,
          finished: true,
        });
      }

      // The history is recorded in the background on start; scored before it is
      // complete, a component would have part of its deployments.
      await waitFor(
        "the sample organisation's deployment history",
        async () => {
          const failed = logs.records.find(r =>
            r.message.includes('deployment history was not recorded'),
          );
          if (failed) throw new Error(failed.message);
          return (
            logs.records.some(r =>
              r.message.startsWith(
                "Recorded the sample organisation's deployment history",
              ),
            ) || undefined
          );
        },
        { timeoutMs: 60_000, intervalMs: 200 },
      );

      const evaluated = await request(server)
        .post('/api/scorecard/evaluate')
        .set(as)
        .send({});
      expect(evaluated.status).toBe(200);

      const cards: Record<string, CheckResult[]> = {};
      const actual: typeof EXPECTED = {};
      for (const entity of sampleComponents) {
        const name = entity.metadata.name;
        const res = await request(server)
          .get(
            `/api/scorecard/entities/${encodeURIComponent(
              `component:default/${name}`,
            )}/scorecard`,
          )
          .set(as);
        expect(res.status).toBe(200);
        const track = res.body.tracks[0];
        const checks = track.checks as CheckResult[];
        cards[name] = checks;
        // levelOf, used below for the portal without a cluster, agrees with the
        // scorecard when every check counts.
        expect({ name, level: levelOf(checks) }).toEqual({
          name,
          level: track.level,
        });
        actual[name] = {
          level: track.level,
          next: checks
            .filter(c => c.level === track.level + 1 && !c.passed)
            .map(c => c.checkId),
        };
      }
      // Every sample component is in the story, and the story is what it scores.
      expect(actual).toEqual(EXPECTED);
      expect(new Set(Object.values(actual).map(a => a.level))).toEqual(
        new Set([1, 2, 3, 4]),
      );

      // Without a cluster (PAVED_CLUSTER=off, or while it is still being built) the
      // scorecard leaves the Kubernetes and delivery checks out; the levels stay the
      // same.
      const withoutCluster = Object.fromEntries(
        Object.entries(cards).map(([name, checks]) => [
          name,
          levelOf(checks.filter(c => !CLUSTER_CHECKS.has(c.checkId))),
        ]),
      );
      expect(withoutCluster).toEqual(
        Object.fromEntries(
          Object.entries(EXPECTED).map(([name, e]) => [name, e.level]),
        ),
      );

      // The organisation as a whole: most components have TechDocs and an owner,
      // but fewer than half come from golden paths. Its delivery (level 4) is
      // measured from the history, and does not lift it past Self-service.
      const maturity = await request(server)
        .get('/api/scorecard/organization/maturity')
        .set(as);
      expect(maturity.status).toBe(200);
      expect(maturity.body).toMatchObject({
        level: 2,
        levelName: 'Standardized',
      });
      const delivery = (
        maturity.body.levels[3].criteria as Array<{
          description: string;
          value?: number;
          evidence: string;
        }>
      ).find(c => c.description.includes('change failure rate'));
      expect(delivery?.value).toEqual(expect.any(Number));
      expect(delivery?.evidence).toMatch(
        /of the 8 components deployed to production in the last 4 weeks/,
      );
    } finally {
      await backend.stop();
    }
  }, 300_000);
});

#!/usr/bin/env node
/*
 * Benchmark: the scorecard evaluator on a synthetic catalog of N components (default
 * 10,000) × the default track's 19 checks, storing on Postgres, against the community
 * Tech Insights backend (its Postgres store and the json-rules-engine fact checker,
 * @backstage-community/plugin-tech-insights-backend{,-module-jsonfc}) on the same
 * entities, facts and checks.
 *
 * Measured:
 * - scorecard full evaluation: catalog read, facts from every provider, scoring,
 *   writes (first run: every row; steady: nothing changed; 10% changed);
 * - scorecard re-score of one changed entity (evaluateRefs), p50/p95, and the etag
 *   poll that finds it (evaluateChanged);
 * - Tech Insights: the same facts persisted (insertFacts, as its fact retrievers do)
 *   and runChecks per entity (what GET /checks and bulk runs do), and for one entity
 *   (its facts from the same providers, insertFacts, runChecks).
 * The catalog is in memory (both read it the same way); TechDocs, incidents and
 * Kubernetes facts come from in-process providers with the same fact ids, since
 * their backends are not part of this run.
 *
 * Needs BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING (a superuser URL);
 * bench/scorecard.sh starts a throwaway one. Options: --entities N (default 10000),
 * --single R (re-score rounds, default 50).
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PKG = path.join(ROOT, 'plugins/scorecard-backend');
const req = createRequire(path.join(PKG, 'package.json'));
// Loads the plugin's TypeScript sources the way the backend's dev mode does.
req(req.resolve('@backstage/cli-node/config/nodeTransform.cjs'));

const { DatabaseScorecardStore } = req(
  './src/database/DatabaseScorecardStore.ts',
);
const { Evaluator } = req('./src/engine/Evaluator.ts');
const { compileTrack } = req('./src/engine/compileTrack.ts');
const { CatalogLookup } = req('./src/engine/CatalogLookup.ts');
const { readTracks } = req('./src/tracks/readTracks.ts');
const providers = req('./src/providers/index.ts');
const { ConfigReader } = req('@backstage/config');
const knexFactory = req('knex');
const ti = req('@backstage-community/plugin-tech-insights-backend');
const { JsonRulesEngineFactCheckerFactory } = req(
  '@backstage-community/plugin-tech-insights-backend-module-jsonfc',
);
const { Operator } = req('json-rules-engine');
const { DateTime } = req('luxon');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('entities', 10000);
const SINGLE = arg('single', 50);
const BASELINE = !process.argv.includes('--no-baseline');

const pgVar = Object.keys(process.env).find(k =>
  /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(k),
);
if (!pgVar) {
  console.error(
    'Needs BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING; use bench/scorecard.sh (yarn bench:scorecard)',
  );
  process.exit(2);
}
const PG = process.env[pgVar].replace(/\/postgres$/, '');
const RUN = `bsc${randomBytes(3).toString('hex')}`;

const VERBOSE = process.argv.includes('--verbose');
const silent = {
  debug(m) {
    if (VERBOSE) console.log(`  ${m}`);
  },
  info() {},
  warn() {},
  error() {},
  child() {
    return silent;
  },
};

// ---- a synthetic catalog ---------------------------------------------------------
const pick = (i, mod, salt = 0) => ((i * 2654435761 + salt * 97) >>> 0) % mod;
function syntheticCatalog(n) {
  const entities = [];
  const groups = 100;
  for (let g = 0; g < groups; g++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: `team-${g}`, namespace: 'default' },
      spec: { type: 'team', children: [] },
    });
  }
  for (const [name, version, type] of [
    ['service', '3.0.0', 'service'],
    ['website', '2.1.0', 'service'],
    ['restart', '1.0.0', 'runbook'],
  ]) {
    entities.push({
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: {
        name,
        namespace: 'default',
        annotations: { 'paved.dev/template-version': version },
      },
      spec: { type },
    });
  }
  for (let i = 0; i < n; i++) {
    entities.push(syntheticComponent(i, 'e1'));
    if (pick(i, 5, 1) !== 0) {
      entities.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'API',
        metadata: { name: `api-${i}`, namespace: 'default' },
        spec: {
          type: 'openapi',
          lifecycle: 'production',
          owner: 'team-0',
          definition: pick(i, 7, 2) ? 'openapi: 3.0.0' : undefined,
        },
      });
    }
    if (pick(i, 3, 3) !== 0) {
      entities.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: `db-${i}`,
          namespace: 'default',
          annotations: pick(i, 4, 4)
            ? { 'paved.dev/provisioning-request': `r-${i}` }
            : {},
        },
        spec: { type: 'database', owner: 'team-0' },
      });
    }
  }
  return entities;
}
function syntheticComponent(i, etag, extra = '') {
  const owner = pick(i, 20, 5) ? `team-${pick(i, 100, 6)}` : `ghost-${i}`;
  const golden = pick(i, 10, 7) < 7;
  const annotations = {
    'backstage.io/source-location': `url:https://git.example.com/c${i}`,
    ...(pick(i, 10, 8) < 8 && { 'backstage.io/techdocs-ref': 'dir:.' }),
    ...(golden && {
      'paved.dev/template': 'template:default/service',
      'paved.dev/template-version': pick(i, 2, 9) ? '3.0.0' : '2.0.0',
    }),
    ...(pick(i, 3, 10) && { 'prometheus.io/scrape': 'true' }),
    ...(pick(i, 4, 11) && { 'pagerduty.com/service-id': `P${i}` }),
  };
  const relations = [
    { type: 'ownedBy', targetRef: `group:default/${owner}` },
    ...(pick(i, 5, 1) !== 0
      ? [{ type: 'providesApi', targetRef: `api:default/api-${i}` }]
      : []),
    ...(pick(i, 3, 3) !== 0
      ? [{ type: 'dependsOn', targetRef: `resource:default/db-${i}` }]
      : []),
  ];
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: `c${i}`,
      namespace: 'default',
      etag,
      description: pick(i, 12, 12) ? `Component ${i}${extra}` : undefined,
      annotations,
      links: pick(i, 3, 13)
        ? [{ url: 'https://runbooks/x', title: 'Runbook' }]
        : [],
    },
    spec: {
      type: 'service',
      lifecycle: pick(i, 6, 14) ? 'production' : 'experimental',
      owner,
      system: pick(i, 9, 15) && !extra ? 'shop' : undefined,
    },
    relations,
  };
}

/** A catalog in memory with indexed lookups, as the catalog's database has. */
class MemoryCatalog {
  constructor(entities) {
    this.set(entities);
  }
  set(entities) {
    this.entities = entities;
    this.byRef = new Map(
      entities.map(e => [
        `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLowerCase(),
        e,
      ]),
    );
  }
  replace(entity) {
    const ref =
      `${entity.kind}:${entity.metadata.namespace}/${entity.metadata.name}`.toLowerCase();
    this.entities[this.entities.indexOf(this.byRef.get(ref))] = entity;
    this.byRef.set(ref, entity);
  }
  async getEntities({ filter }) {
    const kind = filter.kind.toLowerCase();
    return { items: this.entities.filter(e => e.kind.toLowerCase() === kind) };
  }
  async getEntitiesByRefs({ entityRefs }) {
    return { items: entityRefs.map(r => this.byRef.get(r)) };
  }
  async queryEntities(request) {
    const state = request.cursor
      ? JSON.parse(request.cursor)
      : {
          kinds: [request.filter.kind].flat().map(k => k.toLowerCase()),
          offset: 0,
        };
    const all = this.entities.filter(e =>
      state.kinds.includes(e.kind.toLowerCase()),
    );
    let items = all.slice(state.offset, state.offset + request.limit);
    if (request.fields) {
      items = items.map(e => ({
        kind: e.kind,
        metadata: {
          namespace: e.metadata.namespace,
          name: e.metadata.name,
          etag: e.metadata.etag,
        },
      }));
    }
    const next = state.offset + request.limit;
    return {
      items,
      totalItems: all.length,
      pageInfo:
        next < all.length
          ? { nextCursor: JSON.stringify({ ...state, offset: next }) }
          : {},
    };
  }
}

/** TechDocs, incidents and Kubernetes facts, as their providers would return them. */
const stubProviders = [
  {
    id: 'techdocs',
    facts: [{ id: 'techdocs.built', type: 'boolean', description: '' }],
    async retrieve(es) {
      return new Map(
        es.map(e => [
          `component:default/${e.metadata.name}`,
          {
            'techdocs.built':
              Boolean(e.metadata.annotations['backstage.io/techdocs-ref']) &&
              e.metadata.name.length % 5 !== 0,
          },
        ]),
      );
    },
  },
  {
    id: 'incidents',
    facts: ['count90d', 'open', 'meanTimeToRestoreHours'].map(f => ({
      id: `incidents.${f}`,
      type: 'number',
      description: '',
    })),
    async retrieve(es) {
      return new Map(
        es.map(e => {
          const i = Number(e.metadata.name.slice(1));
          return [
            `component:default/${e.metadata.name}`,
            {
              'incidents.count90d': pick(i, 4, 20),
              'incidents.open': 0,
              'incidents.meanTimeToRestoreHours': pick(i, 4, 20)
                ? pick(i, 8, 21)
                : null,
            },
          ];
        }),
      );
    },
  },
  {
    id: 'kubernetes',
    facts: ['deployments', 'allProbes', 'allLimits', 'minReplicas'].map(f => ({
      id: `kubernetes.${f}`,
      type: f.startsWith('all') ? 'boolean' : 'number',
      description: '',
    })),
    async retrieve(es) {
      return new Map(
        es.map(e => {
          const i = Number(e.metadata.name.slice(1));
          return [
            `component:default/${e.metadata.name}`,
            {
              'kubernetes.deployments': pick(i, 5, 22) ? 1 : 0,
              'kubernetes.allProbes': pick(i, 3, 23) > 0,
              'kubernetes.allLimits': pick(i, 4, 24) > 0,
              'kubernetes.minReplicas': pick(i, 3, 25) + 1,
            },
          ];
        }),
      );
    },
  },
];

// ---- helpers --------------------------------------------------------------------
async function createDatabase(name) {
  const admin = knexFactory({ client: 'pg', connection: `${PG}/postgres` });
  await admin.raw(`create database ${name}`);
  await admin.destroy();
  return knexFactory({
    client: 'pg',
    connection: `${PG}/${name}`,
    pool: { min: 1, max: 10 },
  });
}
async function dropDatabase(name) {
  const admin = knexFactory({ client: 'pg', connection: `${PG}/postgres` });
  await admin.raw(`drop database if exists ${name} with (force)`);
  await admin.destroy();
}
const time = async fn => {
  const t = performance.now();
  const result = await fn();
  return [performance.now() - t, result];
};
const stats = ms => {
  const s = [...ms].sort((a, b) => a - b);
  const at = q => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { p50: at(0.5), p95: at(0.95), max: s[s.length - 1] };
};
const f = ms => `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;

// ---- run ------------------------------------------------------------------------
const catalog = new MemoryCatalog(syntheticCatalog(N));
const allProviders = [
  providers.catalogFactProvider,
  providers.lineageFactProvider,
  providers.provisioningFactProvider,
  ...stubProviders,
];
const knownFacts = new Set(allProviders.flatMap(p => p.facts.map(x => x.id)));
const definitions = readTracks(new ConfigReader({}), knownFacts, m =>
  console.warn(m),
);
const tracks = definitions.map(track => compileTrack(track));
const checkCount = tracks[0].checks.length;
console.log(
  `Catalog: ${N} components (${
    catalog.entities.length
  } entities), ${checkCount} checks, Postgres ${pgVar.match(/\d+/)[0]}`,
);

const auth = {
  async getOwnServiceCredentials() {
    return {
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'service', subject: 'plugin:scorecard' },
    };
  },
  async getPluginRequestToken() {
    return { token: 'x' };
  },
};
const scDb = `${RUN}_scorecard`;
const tiDb = `${RUN}_techinsights`;
const results = {};
try {
  // -- scorecard --
  const knex = await createDatabase(scDb);
  const store = await DatabaseScorecardStore.create({
    database: { getClient: async () => knex },
  });
  const evaluator = new Evaluator({
    catalog,
    auth,
    discovery: { getBaseUrl: async () => '' },
    logger: silent,
    store,
    providers: allProviders,
    tracks,
    kinds: ['Component'],
  });
  const [first, s1] = await time(() => evaluator.evaluateAll());
  const [steady] = await time(() => evaluator.evaluateAll());
  for (let i = 0; i < N; i += 10)
    catalog.replace(syntheticComponent(i, 'e2', ' (changed)'));
  const [tenth, s3] = await time(() => evaluator.evaluateAll());
  const single = [];
  for (let r = 0; r < SINGLE; r++) {
    const i = (r * 7919) % N;
    catalog.replace(syntheticComponent(i, `s${r}`, ` r${r}`));
    single.push(
      (
        await time(() => evaluator.evaluateRefs([`component:default/c${i}`]))
      )[0],
    );
  }
  catalog.replace(syntheticComponent(1, 'poll', ' polled'));
  const [poll, sp] = await time(() => evaluator.evaluateChanged());
  await knex.destroy();
  results.scorecard = { first, steady, tenth, single: stats(single), poll };
  console.log(
    `scorecard full evaluation, first (writes ${
      s1.evaluated
    } entities × ${checkCount} results): ${f(first)}`,
  );
  console.log(`scorecard full evaluation, nothing changed: ${f(steady)}`);
  console.log(
    `scorecard full evaluation, 10% changed (${
      s3.changed
    } changed level/checks): ${f(tenth)}`,
  );
  console.log(
    `scorecard re-score of one changed entity: p50 ${f(
      results.scorecard.single.p50,
    )}, p95 ${f(results.scorecard.single.p95)}, max ${f(
      results.scorecard.single.max,
    )} (${SINGLE} rounds)`,
  );
  console.log(
    `scorecard etag poll finding 1 changed entity of ${N}: ${f(
      poll,
    )} (re-scored ${sp.evaluated})`,
  );

  if (BASELINE) {
    // -- Tech Insights on the same facts and checks --
    const tiKnex = await createDatabase(tiDb);
    const { techInsightsStore } = await ti.initializePersistenceContext(
      { getClient: async () => tiKnex },
      { logger: silent },
    );
    const name = id => id.replace(/\./g, '_');
    const typeOf = t =>
      ({ boolean: 'boolean', number: 'float', string: 'string', set: 'set' }[
        t
      ]);
    await techInsightsStore.insertFactSchema({
      id: 'scorecard-facts',
      version: '1.0.0',
      entityFilter: [{ kind: 'component' }],
      schema: Object.fromEntries(
        allProviders
          .flatMap(p => p.facts)
          .map(x => [name(x.id), { type: typeOf(x.type), description: x.id }]),
      ),
    });
    const condition = r =>
      r.operator === 'exists'
        ? { fact: name(r.fact), operator: 'nonEmpty', value: true }
        : { fact: name(r.fact), operator: r.operator, value: r.value ?? null };
    const checks = tracks[0].checks.map(c => ({
      id: c.definition.id,
      type: 'json-rules-engine',
      name: c.definition.title,
      description: c.definition.description,
      factIds: ['scorecard-facts'],
      rule: {
        conditions: {
          [c.definition.match === 'any' ? 'any' : 'all']:
            c.definition.rules.map(condition),
        },
      },
    }));
    const checker = new JsonRulesEngineFactCheckerFactory({
      checks,
      logger: silent,
      operators: [
        new Operator(
          'nonEmpty',
          (a, e) =>
            (a !== undefined &&
              a !== null &&
              !(Array.isArray(a) && a.length === 0)) === e,
        ),
      ],
    }).construct(techInsightsStore);
    const entities = (
      await catalog.getEntities({ filter: { kind: 'Component' } })
    ).items;
    // The facts, computed once by the same providers (a fact retriever would do the same work).
    const [factsMs, factMap] = await time(async () => {
      const lookup = new CatalogLookup(
        catalog,
        await auth.getOwnServiceCredentials(),
      );
      lookup.add(entities);
      return evaluator.collectFacts(entities, lookup);
    });
    const tiFacts = (es, facts = factMap) =>
      es.map(e => ({
        entity: {
          namespace: 'default',
          kind: 'component',
          name: e.metadata.name,
        },
        timestamp: DateTime.now(),
        facts: Object.fromEntries(
          Object.entries(facts.get(`component:default/${e.metadata.name}`)).map(
            ([k, v]) => [name(k), v],
          ),
        ),
      }));
    const [insertMs] = await time(() =>
      techInsightsStore.insertFacts({
        id: 'scorecard-facts',
        facts: tiFacts(entities),
      }),
    );
    const [checksMs, responses] = await time(async () => {
      const out = [];
      for (let i = 0; i < entities.length; i += 50) {
        out.push(
          ...(await Promise.all(
            entities
              .slice(i, i + 50)
              .map(e =>
                checker.runChecks(`component:default/${e.metadata.name}`),
              ),
          )),
        );
      }
      return out;
    });
    const tiSingle = [];
    for (let r = 0; r < SINGLE; r++) {
      const e = entities[(r * 7919) % N];
      tiSingle.push(
        (
          await time(async () => {
            // The same facts for the one entity, from the same providers.
            const lookup = new CatalogLookup(
              catalog,
              await auth.getOwnServiceCredentials(),
            );
            const one = await evaluator.collectFacts([e], lookup);
            await techInsightsStore.insertFacts({
              id: 'scorecard-facts',
              facts: tiFacts([e], one),
            });
            await checker.runChecks(`component:default/${e.metadata.name}`);
          })
        )[0],
      );
    }
    await tiKnex.destroy();
    const tiFull = factsMs + insertMs + checksMs;
    results.techInsights = {
      factsMs,
      insertMs,
      checksMs,
      full: tiFull,
      single: stats(tiSingle),
    };
    console.log(
      `Tech Insights: facts ${f(factsMs)} + insertFacts ${f(
        insertMs,
      )} + runChecks × ${responses.length} (${
        responses[0].length
      } checks each) ${f(checksMs)} = ${f(tiFull)}`,
    );
    console.log(
      `Tech Insights one entity (facts + insertFacts + runChecks): p50 ${f(
        results.techInsights.single.p50,
      )}, p95 ${f(results.techInsights.single.p95)}`,
    );
    const sc = results.scorecard;
    console.log('');
    console.log(
      `RATIO full evaluation (first run): ${(tiFull / sc.first).toFixed(
        1,
      )}× faster (goal ≥ 20×; budget ≤ 5 s: ${
        sc.first <= 5000 ? 'met' : 'MISSED'
      })`,
    );
    console.log(
      `RATIO full evaluation (steady): ${(tiFull / sc.steady).toFixed(
        1,
      )}×; runChecks alone vs scorecard first run: ${(
        checksMs / sc.first
      ).toFixed(1)}×`,
    );
    console.log(
      `RATIO one entity p50: ${(
        results.techInsights.single.p50 / sc.single.p50
      ).toFixed(1)}× faster (budget ≤ 100 ms: ${
        sc.single.p95 <= 100 ? 'met' : 'MISSED'
      } at p95)`,
    );
    console.log(`JSON ${JSON.stringify(results)}`);
  }
} finally {
  await dropDatabase(scDb);
  await dropDatabase(tiDb);
}

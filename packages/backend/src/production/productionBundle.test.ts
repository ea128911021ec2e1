import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import {
  backendBundleDir,
  BundledBackend,
  requireTestPostgres,
  startBundledBackend,
  waitFor,
} from '@paved/test-utils';
import { readSampleEntities } from '../__testUtils__/readSampleEntities';

/*
 * Paved as the Docker image runs it: the production bundle (`yarn build:backend`, with
 * the frontend inside and production dependencies only; scripts/backend-bundle.sh),
 * started with `node packages/backend --config app-config.yaml --config
 * app-config.production.yaml` and the environment docs/running.md lists, on the test
 * run's real Postgres. GitHub sign-in is configured with placeholder credentials (GitHub
 * itself is out of reach); the test calls the APIs as CI does, with PAVED_CI_TOKEN.
 *
 * The bundle comes from PAVED_TEST_BACKEND_BUNDLE (./paved test), else is built here
 * (minutes when cold).
 */

const ROOT = path.resolve(__dirname, '../../../..');
const PAVED_HOME = process.env.PAVED_HOME ?? path.join(ROOT, '.paved');
const MKDOCS_BIN = path.join(PAVED_HOME, 'venv', 'bin');

jest.setTimeout(20 * 60_000);

const postgres = requireTestPostgres();
// This file's own databases (one per plugin, named <prefix><plugin>), dropped afterwards.
const DATABASE_PREFIX = `pvbundle_${randomBytes(4).toString('hex')}_`;
const CI_TOKEN = randomBytes(24).toString('hex');

function productionEnv(): Record<string, string> {
  if (!fs.existsSync(path.join(MKDOCS_BIN, 'mkdocs'))) {
    throw new Error(
      `TechDocs are built with mkdocs from ${MKDOCS_BIN} (the image's /opt/mkdocs), which is missing; run ./paved setup`,
    );
  }
  return {
    PATH: `${MKDOCS_BIN}:${process.env.PATH}`,
    POSTGRES_HOST: postgres.host,
    POSTGRES_PORT: String(postgres.port),
    POSTGRES_USER: postgres.user,
    POSTGRES_PASSWORD: postgres.password,
    BACKEND_SECRET: randomBytes(32).toString('base64'),
    PAVED_CI_TOKEN: CI_TOKEN,
    AUTH_GITHUB_CLIENT_ID: 'placeholder-client-id',
    AUTH_GITHUB_CLIENT_SECRET: 'placeholder-client-secret',
    GITHUB_TOKEN: 'placeholder-github-token',
    PAVED_GITHUB_ORG: 'acme-retail',
  };
}

function requireKubeconfig(): string {
  const kubeconfig = process.env.PAVED_TEST_KUBECONFIG;
  if (!kubeconfig) {
    throw new Error(
      "PAVED_TEST_KUBECONFIG is not set: the postgres type writes connection Secrets to the test run's control plane (./paved test exports it)",
    );
  }
  return kubeconfig;
}

async function withPostgres<T>(use: (client: Client) => Promise<T>) {
  const client = new Client({
    host: postgres.host,
    port: postgres.port,
    user: postgres.user,
    password: postgres.password,
    database: 'postgres',
  });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

const listDatabases = (prefix: string) =>
  withPostgres(async client => {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
      [prefix],
    );
    return rows.map(r => r.datname);
  });

const dropDatabases = (prefix: string) =>
  withPostgres(async client => {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
      [prefix],
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  });

describe('the production bundle', () => {
  let bundleDir: string;
  let backend: BundledBackend | undefined;
  let techdocsDir: string;

  const api = async (route: string, init: RequestInit = {}) =>
    fetch(`${backend!.url}${route}`, {
      ...init,
      headers: { authorization: `Bearer ${CI_TOKEN}`, ...init.headers },
    });

  beforeAll(async () => {
    bundleDir = await backendBundleDir();
    // The image publishes TechDocs to /app/data/techdocs; here a directory of this test.
    techdocsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-bundle-docs-'));
    backend = await startBundledBackend({
      bundleDir,
      env: productionEnv(),
      extraConfig: {
        backend: { database: { prefix: DATABASE_PREFIX } },
        techdocs: { publisher: { local: { publishDirectory: techdocsDir } } },
        // app-config.production.yaml offers no self-service type until the operator
        // configures one (docs/running.md); here Postgres databases on the test
        // run's server, as an operator would add them.
        provisioning: {
          postgres: {
            targets: [
              {
                id: 'shared',
                host: postgres.host,
                port: postgres.port,
                adminUser: postgres.user,
                adminPassword: postgres.password,
              },
            ],
            // Outside a pod, the cluster its connection Secrets go to: the test run's
            // control plane.
            kubernetes: { kubeconfigPath: requireKubeconfig() },
          },
        },
      },
      timeoutMs: 5 * 60_000,
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await dropDatabases(DATABASE_PREFIX);
    if (techdocsDir) fs.rmSync(techdocsDir, { recursive: true, force: true });
  });

  it('is ready, on Postgres, with GitHub sign-in and without guest', async () => {
    const readiness = await fetch(
      `${backend!.url}/.backstage/health/v1/readiness`,
    );
    expect(readiness.status).toBe(200);

    const providers = await fetch(
      `${backend!.url}/api/auth/github/start?env=production`,
      { redirect: 'manual' },
    );
    // The provider is set up: it sends the browser to GitHub with the configured client.
    expect(providers.status).toBe(302);
    const location = providers.headers.get('location') ?? '';
    expect(location).toMatch(/^https:\/\/github\.com\/login\/oauth\/authorize/);
    expect(location).toContain('client_id=placeholder-client-id');

    const guest = await fetch(`${backend!.url}/api/auth/guest/refresh`);
    expect(guest.status).toBe(404);

    // Each plugin has its database on the test run's Postgres, under this file's prefix.
    const databases = await listDatabases(DATABASE_PREFIX);
    expect(databases).toEqual(
      expect.arrayContaining([
        `${DATABASE_PREFIX}catalog`,
        `${DATABASE_PREFIX}auth`,
        `${DATABASE_PREFIX}provisioning`,
      ]),
    );
  });

  it('lists the sample organisation in the catalog', async () => {
    const expected = readSampleEntities(bundleDir)
      .filter(e => e.kind !== 'Location')
      .map(e =>
        `${e.kind}:${e.metadata.namespace ?? 'default'}/${
          e.metadata.name
        }`.toLowerCase(),
      );
    const listed = await waitFor(
      'the catalog to hold the sample entities',
      async () => {
        const response = await api(
          '/api/catalog/entities?fields=kind,metadata',
        );
        if (response.status !== 200) {
          throw new Error(`${response.status} ${await response.text()}`);
        }
        const refs = (
          (await response.json()) as Array<{
            kind: string;
            metadata: { namespace?: string; name: string };
          }>
        ).map(e =>
          `${e.kind}:${e.metadata.namespace ?? 'default'}/${
            e.metadata.name
          }`.toLowerCase(),
        );
        return expected.every(ref => refs.includes(ref)) && refs;
      },
      { timeoutMs: 180_000, intervalMs: 2000 },
    );
    expect(expected.length).toBeGreaterThan(20);
    expect(listed).toEqual(expect.arrayContaining(expected));
  });

  it('builds and serves a TechDocs page with mkdocs', async () => {
    const entity = 'default/component/paved-portal';
    const html = await waitFor(
      "the portal's own TechDocs to be built and served",
      async () => {
        // What the TechDocs reader does: ask for a sync (a build when there is none yet),
        // then read the static page.
        const sync = await api(`/api/techdocs/sync/${entity}`, {
          headers: { accept: 'application/json' },
        });
        if (sync.status >= 400) {
          throw new Error(`sync: ${sync.status} ${await sync.text()}`);
        }
        await sync.text();
        const page = await api(
          `/api/techdocs/static/docs/${entity}/index.html`,
        );
        return page.status === 200 && page.text();
      },
      { timeoutMs: 300_000, intervalMs: 3000 },
    );
    // The title of docs/index.md, rendered by mkdocs-techdocs-core.
    const heading = fs
      .readFileSync(path.join(bundleDir, 'docs', 'index.md'), 'utf8')
      .match(/^# (.+)$/m)?.[1];
    expect(heading).toBeTruthy();
    expect(html).toContain('<html');
    expect(html).toContain(heading);
  });

  it('offers the self-service types', async () => {
    const response = await api('/api/provisioning/types');
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as {
      items: Array<{ id: string; title: string; parameters: object }>;
    };
    // Exactly the configured module's types (a database, and read access to one): the
    // others stay off without their config sections.
    expect(items.map(t => t.id).sort()).toEqual([
      'postgres',
      'postgres-read-access',
    ]);
    for (const type of items) {
      expect(type.parameters).toMatchObject({ type: 'object' });
    }
  });

  it('serves the built frontend', async () => {
    const index = await fetch(`${backend!.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/text\/html/);
    const html = await index.text();
    const builtIndex = fs.readFileSync(
      path.join(bundleDir, 'packages', 'app', 'dist', 'index.html'),
      'utf8',
    );
    // The app's own page (the backend injects the runtime config into it).
    const title = builtIndex.match(/<title>([^<]*)<\/title>/)?.[1];
    expect(title).toBeTruthy();
    expect(html).toContain(`<title>${title}</title>`);

    const script = html.match(/<script[^>]+src="([^"]+\.js)"/)?.[1];
    expect(script).toBeTruthy();
    const asset = await fetch(new URL(script!, `${backend!.url}/`));
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect((await asset.text()).length).toBeGreaterThan(1000);

    // A client-side route also gets the app (the router takes it from there).
    const route = await fetch(`${backend!.url}/catalog`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain(`<title>${title}</title>`);
  });
});

describe('the production bundle without a required variable', () => {
  it.each(['BACKEND_SECRET', 'POSTGRES_HOST'])(
    'refuses to start without %s, naming it',
    async variable => {
      const bundleDir = await backendBundleDir();
      const prefix = `pvbundle_${randomBytes(4).toString('hex')}_`;
      const env = productionEnv();
      delete env[variable];
      const backend = await startBundledBackend({
        bundleDir,
        env,
        extraConfig: { backend: { database: { prefix } } },
        waitUntilReady: false,
      });
      try {
        const exit = await Promise.race([
          backend.exited,
          new Promise<'running'>(resolve =>
            setTimeout(() => resolve('running'), 120_000),
          ),
        ]);
        expect(exit).toEqual({ code: 1, signal: null });
        expect(backend.logs()).toContain(variable);
      } finally {
        await backend.kill();
        await dropDatabases(prefix);
      }
    },
  );
});

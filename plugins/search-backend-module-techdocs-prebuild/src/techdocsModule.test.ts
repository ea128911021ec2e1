import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import techdocsPlugin from '@backstage/plugin-techdocs-backend';
import { waitFor } from '@paved/test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { parseSyncStream } from './parseSyncStream';
import { techdocsModuleStagedDirectories } from './techdocsModule';

const ROOT = path.resolve(__dirname, '../../..');
const MKDOCS_BIN = path.join(
  process.env.PAVED_HOME ?? path.join(ROOT, '.paved'),
  'venv',
  'bin',
);

/** A docs root laid out as the portal's own: mkdocs.yml beside node_modules and code. */
function writeRepository(root: string) {
  const files: Record<string, string> = {
    'catalog-info.yaml': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: portal
  annotations:
    backstage.io/techdocs-ref: dir:.
spec:
  type: website
  lifecycle: production
  owner: group:default/platform-team
`,
    // No plugins: the generator adds techdocs-core to the config it builds from.
    'mkdocs.yml': 'site_name: Portal\nnav:\n  - Home: index.md\n',
    'docs/index.md': '# Portal\n\nFirst edition.\n',
    'node_modules/left-pad/package.json': '{"name":"left-pad"}',
    'packages/backend/src/index.ts': 'export {};\n',
  };
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), content);
  }
}

/**
 * The real catalog and techdocs backend (mkdocs from the project's virtualenv) with
 * this module: the portal's `dir:.` docs build from a staged copy, the repository's
 * own mkdocs.yml is left as it is, and a sync with nothing changed builds nothing.
 */
describe('techdocsModuleStagedDirectories', () => {
  let tmp: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const realNow = Date.now;
  let offsetMs = 0;

  beforeAll(async () => {
    // The techdocs backend runs `mkdocs` from PATH (a child process gets the real
    // environment); ./paved test puts .paved/venv/bin there.
    const onPath = (process.env.PATH ?? '')
      .split(path.delimiter)
      .some(dir => dir && fs.existsSync(path.join(dir, 'mkdocs')));
    if (!onPath) {
      throw new Error(
        `TechDocs builds need mkdocs on PATH: run this test through ./paved test, or put ${MKDOCS_BIN} on PATH (./paved setup installs it)`,
      );
    }
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-staged-techdocs-'));
    writeRepository(path.join(tmp, 'repo'));
    // The techdocs backend checks a synced entity again only a minute later.
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offsetMs);
    backend = await startTestBackend({
      features: [
        catalogPlugin,
        techdocsPlugin,
        techdocsModuleStagedDirectories,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Component'] }],
              processingInterval: { seconds: 1 },
              locations: [
                {
                  type: 'file',
                  target: path.join(tmp, 'repo', 'catalog-info.yaml'),
                },
              ],
            },
            techdocs: {
              builder: 'local',
              generator: { runIn: 'local' },
              publisher: {
                type: 'local',
                local: { publishDirectory: path.join(tmp, 'published') },
              },
            },
          },
        }),
      ],
    });
    await waitFor('the portal in the catalog', async () => {
      const res = await request(backend.server)
        .get('/api/catalog/entities/by-name/component/default/portal')
        .set('authorization', mockCredentials.user.header());
      return res.status === 200;
    });
  });

  afterAll(async () => {
    await backend?.stop();
    jest.restoreAllMocks();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function sync() {
    offsetMs += 2 * 60_000;
    const res = await request(backend.server)
      .get('/api/techdocs/sync/default/Component/portal')
      .set('authorization', mockCredentials.user.header())
      .set('Accept', 'text/event-stream')
      .buffer(true)
      .parse((response, callback) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', chunk => (body += chunk));
        response.on('end', () => callback(null, body));
      });
    expect(res.status).toBe(200);
    return parseSyncStream(String(res.body));
  }

  const published = (file: string) =>
    fs.readFileSync(
      path.join(tmp, 'published', 'default/component/portal', file),
      'utf8',
    );

  it('builds from a staged copy, rebuilds only when the docs change', async () => {
    expect(await sync()).toEqual({ kind: 'finished', updated: true });
    expect(published('index.html')).toContain('First edition.');
    // The etag is the staged files' hash (the stock preparer gives none).
    expect(JSON.parse(published('techdocs_metadata.json')).etag).toMatch(
      /^paved-dir-[0-9a-f]{32}$/,
    );
    // The generator patched the staged config, not the repository's.
    expect(fs.readFileSync(path.join(tmp, 'repo', 'mkdocs.yml'), 'utf8')).toBe(
      'site_name: Portal\nnav:\n  - Home: index.md\n',
    );

    // Nothing changed in the docs (a dependency did): no build.
    fs.writeFileSync(
      path.join(tmp, 'repo', 'node_modules/left-pad/package.json'),
      '{"name":"left-pad","version":"2.0.0"}',
    );
    expect(await sync()).toEqual({ kind: 'finished', updated: false });

    fs.writeFileSync(
      path.join(tmp, 'repo', 'docs/index.md'),
      '# Portal\n\nSecond edition.\n',
    );
    expect(await sync()).toEqual({ kind: 'finished', updated: true });
    expect(published('index.html')).toContain('Second edition.');
  });
});

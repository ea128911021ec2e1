import { Entity } from '@backstage/catalog-model';
import { ScmIntegrations } from '@backstage/integration';
import { mockServices } from '@backstage/backend-test-utils';
import { PreparerBase, PreparerOptions } from '@backstage/plugin-techdocs-node';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { docsFiles, StagedDirectoryPreparer } from './StagedDirectoryPreparer';

/** A repository root as the portal's: docs beside node_modules, .paved and code. */
async function writeTree(root: string, files: Record<string, string>) {
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await fs.writeFile(path.join(root, name), content);
  }
}

const entityFrom = (location: string, ref = 'dir:.'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'portal',
    annotations: {
      'backstage.io/techdocs-ref': ref,
      'backstage.io/managed-by-location': location,
    },
  },
  spec: {},
});

describe('StagedDirectoryPreparer', () => {
  let root: string;
  let work: string;
  const fallback = {
    prepare: jest.fn(async (_entity: Entity, _options?: PreparerOptions) => ({
      preparedDir: '/from/url',
      etag: 'url',
    })),
    shouldCleanPreparedDirectory: () => false,
  } satisfies PreparerBase;
  const preparer = () =>
    new StagedDirectoryPreparer({
      fallback,
      integrations: ScmIntegrations.fromConfig(mockServices.rootConfig()),
      workingDirectory: work,
    });

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-staged-root-'));
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-staged-work-'));
    await writeTree(root, {
      'catalog-info.yaml': 'kind: Component',
      'mkdocs.yml':
        'site_name: Portal\nnav:\n  - Home: index.md\nplugins:\n  - techdocs-core\n',
      'README.md': '# Portal',
      'docs/index.md': '# Home',
      'docs/guide/running.md': '# Running',
      'docs/images/logo.svg': '<svg/>',
      'node_modules/left-pad/index.js': 'module.exports = 1',
      '.paved/bundle/x/node_modules/y/package.json': '{}',
      'packages/backend/src/index.ts': 'export {}',
    });
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
    await fs.rm(work, { recursive: true, force: true });
  });

  it('lists what mkdocs reads and nothing of node_modules, .paved or the code', async () => {
    expect(await docsFiles(root)).toEqual([
      'README.md',
      'docs/guide/running.md',
      'docs/images/logo.svg',
      'docs/index.md',
      'mkdocs.yml',
    ]);
  });

  it("follows the config's docs_dir and theme custom_dir, and refuses a docs_dir outside", async () => {
    await writeTree(root, {
      'mkdocs.yml':
        "site_name: P\ndocs_dir: 'site-docs' # the pages\ntheme:\n  name: material\n  custom_dir: overrides\n",
      'site-docs/index.md': '# Home',
      'overrides/main.html': '<html/>',
    });
    expect(await docsFiles(root)).toEqual([
      'README.md',
      'mkdocs.yml',
      'overrides/main.html',
      'site-docs/index.md',
    ]);
    await writeTree(root, { 'mkdocs.yml': 'site_name: P\ndocs_dir: ../\n' });
    expect(await docsFiles(root)).toEqual(['README.md', 'mkdocs.yml']);
  });

  it('stages the docs of a file location in a temporary folder, with an etag of their contents', async () => {
    const entity = entityFrom(`file:${path.join(root, 'catalog-info.yaml')}`);
    const first = await preparer().prepare(entity);

    expect(path.dirname(first.preparedDir)).toBe(work);
    expect(
      (await fs.readdir(first.preparedDir, { recursive: true })).sort(),
    ).toEqual([
      'README.md',
      'docs',
      'docs/guide',
      'docs/guide/running.md',
      'docs/images',
      'docs/images/logo.svg',
      'docs/index.md',
      'mkdocs.yml',
    ]);
    expect(
      await fs.readFile(path.join(first.preparedDir, 'docs/index.md'), 'utf8'),
    ).toBe('# Home');
    expect(preparer().shouldCleanPreparedDirectory()).toBe(true);

    // Unchanged: the builder's "not modified", so the published site stays.
    await expect(
      preparer().prepare(entity, { etag: first.etag }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
    // A file outside the docs changes nothing; a page does.
    await writeTree(root, { 'node_modules/left-pad/index.js': 'changed' });
    await expect(
      preparer().prepare(entity, { etag: first.etag }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
    await writeTree(root, { 'docs/guide/running.md': '# Running, edited' });
    const second = await preparer().prepare(entity, { etag: first.etag });
    expect(second.etag).not.toBe(first.etag);
    expect(
      await fs.readFile(
        path.join(second.preparedDir, 'docs/guide/running.md'),
        'utf8',
      ),
    ).toBe('# Running, edited');
    expect(fallback.prepare).not.toHaveBeenCalled();
  });

  it('leaves dir: docs of an entity read from a URL to the stock preparer', async () => {
    const entity = entityFrom(
      'url:https://github.com/acme/portal/blob/main/catalog-info.yaml',
    );
    await expect(preparer().prepare(entity)).resolves.toEqual({
      preparedDir: '/from/url',
      etag: 'url',
    });
    expect(fallback.prepare).toHaveBeenCalledWith(entity, undefined);
  });
});

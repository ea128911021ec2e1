import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogTemplateVersions } from './CatalogTemplateVersions';

const CHANGELOG = `# typescript-service

## 1.1.0 (2026-12-07)

- The Dockerfile runs as \`node\`.

## 1.0.0 (2026-10-01)

First release.
`;

function template(version: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: 'typescript-service',
      annotations: { 'paved.dev/template-version': version },
    },
    spec: {
      type: 'service',
      parameters: [{ properties: { name: { type: 'string' } } }],
      steps: [
        { id: 'fetch', action: 'fetch:template', input: { url: './skeleton' } },
      ],
      ...extra,
    },
  };
}

/** A template folder as the layout wants it: current 1.1.0, versions/1.0.0. */
function writeTemplateFolder(options: { changelog?: boolean } = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'template-versions-'));
  const write = (file: string, content: string, mode = 0o644) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content, { mode });
  };
  write('template.yaml', stringify(template('1.1.0')));
  write('skeleton/Dockerfile', 'FROM node:22\nUSER node\n');
  write('skeleton/.dockerignore', 'node_modules\n');
  write('skeleton/bin/start.sh', '#!/bin/sh\nnode dist/server.js\n', 0o755);
  if (options.changelog !== false) write('CHANGELOG.md', CHANGELOG);
  write('versions/1.0.0/template.yaml', stringify(template('1.0.0')));
  write('versions/1.0.0/skeleton/Dockerfile', 'FROM node:22\n');
  return root;
}

function catalogEntity(location: string, version = '1.1.0'): Entity {
  const entity = template(version) as Entity;
  entity.metadata = {
    ...entity.metadata,
    namespace: 'default',
    uid: 'b3f1',
    etag: 'e1',
    annotations: {
      ...entity.metadata.annotations,
      'backstage.io/managed-by-location': location,
    },
  };
  entity.relations = [
    { type: 'ownedBy', targetRef: 'group:default/platform-team' },
  ];
  return entity;
}

function versionsWith(
  entities: Entity[],
  options: {
    cacheTtlMs?: number;
    now?: () => number;
    urlReader?: UrlReaderService;
  } = {},
) {
  const catalog = catalogServiceMock({ entities });
  const getEntityByRef = jest.spyOn(catalog, 'getEntityByRef');
  const versions = new CatalogTemplateVersions({
    catalog,
    auth: mockServices.auth(),
    urlReader: options.urlReader ?? mockServices.urlReader.mock(),
    cacheTtlMs: options.cacheTtlMs,
    now: options.now,
  });
  return { versions, getEntityByRef };
}

const text = (files: Map<string, { content: Buffer }>, file: string) =>
  files.get(file)?.content.toString('utf8');

describe('CatalogTemplateVersions with a file: location', () => {
  let root: string;
  beforeEach(() => {
    root = writeTemplateFolder();
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const ref = 'template:default/typescript-service';
  const entityAt = (dir: string) =>
    catalogEntity(`file:${path.join(dir, 'template.yaml')}`);

  it('lists the changelog, newest first, and the catalog’s version as latest', async () => {
    const { versions } = versionsWith([entityAt(root)]);
    await expect(versions.list('typescript-service')).resolves.toEqual({
      latest: '1.1.0',
      versions: [
        {
          version: '1.1.0',
          date: '2026-12-07',
          text: '- The Dockerfile runs as `node`.',
        },
        { version: '1.0.0', date: '2026-10-01', text: 'First release.' },
      ],
    });
  });

  it('lists only the current version when there is no CHANGELOG.md', async () => {
    fs.rmSync(path.join(root, 'CHANGELOG.md'));
    const { versions } = versionsWith([entityAt(root)]);
    await expect(versions.list(ref)).resolves.toEqual({
      latest: '1.1.0',
      versions: [{ version: '1.1.0', text: '' }],
    });
  });

  it('reads the current version from the catalog and the files beside it', async () => {
    const { versions } = versionsWith([entityAt(root)]);
    const current = await versions.read(ref, '1.1.0');
    expect(current.templateRef).toBe(ref);
    expect(current.version).toBe('1.1.0');
    // The catalog's entity without what the catalog adds.
    expect(current.entity.metadata).not.toHaveProperty('uid');
    expect(current.entity).not.toHaveProperty('relations');
    expect(current.entity.spec.steps[0].action).toBe('fetch:template');
    expect([...current.files.keys()].sort()).toEqual([
      'skeleton/.dockerignore',
      'skeleton/Dockerfile',
      'skeleton/bin/start.sh',
      'template.yaml',
    ]);
    expect(current.files.get('skeleton/bin/start.sh')?.executable).toBe(true);
    expect(
      current.files.get('skeleton/Dockerfile')?.executable,
    ).toBeUndefined();
    expect(text(current.files, 'skeleton/Dockerfile')).toContain('USER node');
  });

  it('reads an older version from versions/<version>/', async () => {
    const { versions } = versionsWith([entityAt(root)]);
    const old = await versions.read(ref, '1.0.0');
    expect(old.entity.metadata.annotations).toEqual({
      'paved.dev/template-version': '1.0.0',
    });
    expect([...old.files.keys()].sort()).toEqual([
      'skeleton/Dockerfile',
      'template.yaml',
    ]);
    expect(text(old.files, 'skeleton/Dockerfile')).toBe('FROM node:22\n');
  });

  it('says which versions exist when asked for one never released', async () => {
    const { versions } = versionsWith([entityAt(root)]);
    const error = await versions.read(ref, '0.9.0').catch(e => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.message).toBe(
      'Template typescript-service has no released version 0.9.0 (released: 1.1.0, 1.0.0)',
    );
  });

  it('says when a released version’s folder is gone', async () => {
    fs.rmSync(path.join(root, 'versions'), { recursive: true });
    const { versions } = versionsWith([entityAt(root)]);
    await expect(versions.read(ref, '1.0.0')).rejects.toThrow(
      /typescript-service 1\.0\.0 is in its CHANGELOG\.md but versions\/1\.0\.0\/template\.yaml is gone/,
    );
  });

  it.each(['../../etc', '1.0.0/../../..', '/etc/passwd', 'v1.0.0', '', '1.0'])(
    'refuses the version %j: only semver names a folder',
    async version => {
      const { versions, getEntityByRef } = versionsWith([entityAt(root)]);
      await expect(versions.read(ref, version)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining('is not a semver version'),
      });
      expect(getEntityByRef).not.toHaveBeenCalled();
    },
  );

  it('refuses a version folder whose template.yaml says another version', async () => {
    fs.writeFileSync(
      path.join(root, 'versions/1.0.0/template.yaml'),
      stringify(template('1.0.1')),
    );
    const { versions } = versionsWith([entityAt(root)]);
    await expect(versions.read(ref, '1.0.0')).rejects.toThrow(
      "versions/1.0.0/template.yaml says paved.dev/template-version '1.0.1', not '1.0.0'",
    );
  });

  it('refuses a version folder whose template.yaml is not a template', async () => {
    fs.writeFileSync(
      path.join(root, 'versions/1.0.0/template.yaml'),
      'kind: Component\n',
    );
    const { versions } = versionsWith([entityAt(root)]);
    await expect(versions.read(ref, '1.0.0')).rejects.toThrow(
      'versions/1.0.0/template.yaml is not a scaffolder.backstage.io/v1beta3 Template',
    );
  });

  it('names a template that is not in the catalog, or has no version', async () => {
    const unversioned = entityAt(root);
    unversioned.metadata.name = 'unversioned';
    delete unversioned.metadata.annotations!['paved.dev/template-version'];
    const { versions } = versionsWith([unversioned]);
    await expect(versions.list('template:default/nope')).rejects.toThrow(
      new NotFoundError('Template template:default/nope is not in the catalog'),
    );
    await expect(versions.list('unversioned')).rejects.toThrow(
      'Template unversioned has no released versions: its paved.dev/template-version annotation is missing',
    );
    await expect(versions.list('component:default/x')).rejects.toMatchObject({
      name: 'InputError',
    });
  });

  it('reads each (template, version) once while cached, again after the TTL', async () => {
    let now = 1_000;
    const { versions, getEntityByRef } = versionsWith([entityAt(root)], {
      cacheTtlMs: 60_000,
      now: () => now,
    });
    const readdir = jest.spyOn(fs.promises, 'readdir');
    try {
      for (let i = 0; i < 200; i++) {
        const [a, b] = await Promise.all([
          versions.read(ref, '1.0.0'),
          versions.read(ref, '1.1.0'),
        ]);
        // Callers get their own map: a change to it never reaches the cache.
        a.files.delete('template.yaml');
        expect(b.files.size).toBe(4);
      }
      await versions.list(ref);
      expect(getEntityByRef).toHaveBeenCalledTimes(1);
      const walks = readdir.mock.calls.length;
      expect((await versions.read(ref, '1.0.0')).files.size).toBe(2);

      now += 60_001;
      await versions.read(ref, '1.0.0');
      expect(getEntityByRef).toHaveBeenCalledTimes(2);
      expect(readdir.mock.calls.length).toBeGreaterThan(walks);
    } finally {
      readdir.mockRestore();
    }
  });

  it('does not keep a failure', async () => {
    const { versions, getEntityByRef } = versionsWith([entityAt(root)]);
    await expect(versions.read(ref, '0.9.0')).rejects.toThrow(NotFoundError);
    fs.mkdirSync(path.join(root, 'versions/0.9.0'));
    fs.writeFileSync(
      path.join(root, 'versions/0.9.0/template.yaml'),
      stringify(template('0.9.0')),
    );
    await expect(versions.read(ref, '0.9.0')).resolves.toMatchObject({
      version: '0.9.0',
    });
    // The template's context (catalog entity, changelog) stays cached.
    expect(getEntityByRef).toHaveBeenCalledTimes(1);
  });

  it('reads everything again each time with caching off', async () => {
    const { versions, getEntityByRef } = versionsWith([entityAt(root)], {
      cacheTtlMs: 0,
    });
    await versions.read(ref, '1.0.0');
    await versions.read(ref, '1.0.0');
    expect(getEntityByRef).toHaveBeenCalledTimes(2);
  });
});

describe('CatalogTemplateVersions with a url: location', () => {
  const base =
    'https://github.com/acme/platform/blob/main/templates/typescript-service';
  const ref = 'template:default/typescript-service';

  /** A UrlReader over an in-memory repository folder, like the GitHub reader. */
  function fakeReader(files: Record<string, string>) {
    const readUrl = jest.fn(async (url: string) => {
      const file = url.startsWith(`${base}/`)
        ? url.slice(base.length + 1)
        : undefined;
      if (file === undefined || !(file in files)) {
        throw new NotFoundError(`${url} not found`);
      }
      return { buffer: async () => Buffer.from(files[file]) };
    });
    const readTree = jest.fn(
      async (url: string, options?: { filter?(p: string): boolean }) => {
        const dir = url === base ? '' : url.slice(base.length + 1);
        const prefix = dir ? `${dir}/` : '';
        const inTree = Object.keys(files)
          .filter(f => f.startsWith(prefix))
          .map(f => f.slice(prefix.length))
          .filter(f => options?.filter?.(f) ?? true);
        if (inTree.length === 0) throw new NotFoundError(`${url} not found`);
        return {
          files: async () =>
            inTree.map(f => ({
              path: f,
              content: async () => Buffer.from(files[prefix + f]),
            })),
          archive: async () => {
            throw new Error('not used');
          },
          dir: async () => {
            throw new Error('not used');
          },
          etag: 'etag',
        };
      },
    );
    const reader = mockServices.urlReader.mock({
      readUrl: readUrl as any,
      readTree: readTree as any,
    });
    return { reader, readUrl, readTree };
  }

  const REPO = {
    'template.yaml': stringify(template('1.1.0')),
    'CHANGELOG.md': CHANGELOG,
    'skeleton/Dockerfile': 'FROM node:22\nUSER node\n',
    'versions/1.0.0/template.yaml': stringify(template('1.0.0')),
    'versions/1.0.0/skeleton/Dockerfile': 'FROM node:22\n',
  };

  it('reads the changelog, the current folder and an older version through the UrlReader', async () => {
    const { reader, readUrl, readTree } = fakeReader(REPO);
    const { versions } = versionsWith(
      [catalogEntity(`url:${base}/template.yaml`)],
      { urlReader: reader },
    );
    expect((await versions.list(ref)).versions.map(v => v.version)).toEqual([
      '1.1.0',
      '1.0.0',
    ]);
    expect(readUrl).toHaveBeenCalledWith(`${base}/CHANGELOG.md`);

    const current = await versions.read(ref, '1.1.0');
    expect([...current.files.keys()].sort()).toEqual([
      'skeleton/Dockerfile',
      'template.yaml',
    ]);
    expect(readTree).toHaveBeenLastCalledWith(base, {
      filter: expect.any(Function),
    });

    const old = await versions.read(ref, '1.0.0');
    expect(readUrl).toHaveBeenCalledWith(
      `${base}/versions/1.0.0/template.yaml`,
    );
    expect(readTree).toHaveBeenLastCalledWith(`${base}/versions/1.0.0`, {
      filter: undefined,
    });
    expect(
      old.entity.metadata.annotations?.['paved.dev/template-version'],
    ).toBe('1.0.0');
    expect(text(old.files, 'skeleton/Dockerfile')).toBe('FROM node:22\n');

    await expect(versions.read(ref, '0.9.0')).rejects.toThrow(
      'Template typescript-service has no released version 0.9.0 (released: 1.1.0, 1.0.0)',
    );
  });

  it('lists the current version alone when the repository has no CHANGELOG.md', async () => {
    const { 'CHANGELOG.md': _, ...withoutChangelog } = REPO;
    const { reader } = fakeReader(withoutChangelog);
    const { versions } = versionsWith(
      [catalogEntity(`url:${base}/template.yaml`)],
      { urlReader: reader },
    );
    await expect(versions.list(ref)).resolves.toEqual({
      latest: '1.1.0',
      versions: [{ version: '1.1.0', text: '' }],
    });
  });

  it('passes on a failure of the host other than not found', async () => {
    const reader = mockServices.urlReader.mock({
      readUrl: async () => {
        throw new Error('GitHub said 502 Bad Gateway');
      },
    });
    const { versions } = versionsWith(
      [catalogEntity(`url:${base}/template.yaml`)],
      { urlReader: reader },
    );
    await expect(versions.list(ref)).rejects.toThrow('502 Bad Gateway');
  });
});

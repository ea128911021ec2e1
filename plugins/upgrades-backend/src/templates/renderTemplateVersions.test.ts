/*
 * The versions reader and the renderer against the real components: the catalog
 * holding a copy of templates/typescript-service (file: location), the scaffolder
 * with Paved's module running the template's dry run. Rendering the same answers at
 * the current version and at versions/1.0.0 must differ exactly where the template
 * changed, plus the version stamps (catalog-info.yaml, .paved/golden-path.yaml).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AuthService,
  coreServices,
  createBackendPlugin,
  DiscoveryService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import scaffolderModulePaved from '@paved/plugin-scaffolder-backend-module-paved';
import { InputError } from '@backstage/errors';
import { waitFor } from '@paved/test-utils';
import { FileSet } from '../ports';
import { CatalogTemplateVersions } from './CatalogTemplateVersions';
import { ScaffolderDryRunRenderer } from './ScaffolderDryRunRenderer';

jest.setTimeout(240_000);

const SOURCE = path.resolve(
  __dirname,
  '../../../../templates/typescript-service',
);
const REF = 'template:default/typescript-service';
const OLD = '1.0.0';

/** The answers Create sent for orders-api, as its golden-path file keeps them. */
const ANSWERS = {
  name: 'orders-api',
  description: 'Takes and tracks customer orders',
  owner: 'group:default/checkout-team',
  system: 'system:default/storefront',
  lifecycle: 'experimental',
  port: 8080,
};

/**
 * A copy of the template (the repository's may change while tests run). When the
 * repository has no versions/1.0.0 yet, the copy gets one: the current version with
 * a changed Dockerfile line and a file fewer, stamped 1.0.0.
 */
function copyTemplate(): { dir: string; current: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'upgrades-render-'));
  fs.cpSync(SOURCE, dir, { recursive: true });
  const annotation = /(paved\.dev\/template-version:\s*)'?([^'\s]+)'?/;
  let text = fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8');
  if (!fs.existsSync(path.join(dir, 'versions', OLD, 'template.yaml'))) {
    const old = path.join(dir, 'versions', OLD);
    fs.mkdirSync(old, { recursive: true });
    fs.cpSync(path.join(dir, 'skeleton'), path.join(old, 'skeleton'), {
      recursive: true,
    });
    fs.writeFileSync(
      path.join(old, 'template.yaml'),
      text.replace(annotation, `$1'${OLD}'`),
    );
    fs.appendFileSync(path.join(old, 'skeleton/Dockerfile'), '# 1.0.0\n');
    fs.rmSync(path.join(old, 'skeleton/eslint.config.mjs'));
    if (annotation.exec(text)?.[2] === OLD) {
      text = text.replace(annotation, `$1'1.1.0'`);
      fs.writeFileSync(path.join(dir, 'template.yaml'), text);
    }
  }
  return { dir, current: annotation.exec(text)![2] };
}

/** Files of a skeleton folder, path -> content. */
function skeletonFiles(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const file of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const full = path.join(dir, file);
    if (fs.statSync(full).isFile()) {
      files.set(file.split(path.sep).join('/'), fs.readFileSync(full));
    }
  }
  return files;
}

function changedPaths(
  a: Map<string, { equals(other: Buffer): boolean } | Buffer>,
  b: Map<string, Buffer>,
): string[] {
  const paths = new Set([...a.keys(), ...b.keys()]);
  return [...paths]
    .filter(p => {
      const x = a.get(p) as Buffer | undefined;
      const y = b.get(p);
      return !x || !y || !x.equals(y);
    })
    .sort();
}

const contents = (files: FileSet) =>
  new Map([...files].map(([p, f]) => [p, f.content]));

function changedLines(a: Buffer, b: Buffer): Array<[string, string]> {
  const x = a.toString('utf8').split('\n');
  const y = b.toString('utf8').split('\n');
  expect(x.length).toBe(y.length);
  return x.flatMap((line, i) => (line === y[i] ? [] : [[line, y[i]]]));
}

describe('rendering released template versions with the real scaffolder', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let template: { dir: string; current: string };
  let services: {
    catalog: CatalogService;
    auth: AuthService;
    discovery: DiscoveryService;
    urlReader: UrlReaderService;
  };
  let repositories: string;

  beforeAll(async () => {
    template = copyTemplate();
    repositories = fs.mkdtempSync(path.join(os.tmpdir(), 'upgrades-repos-'));
    // Stands in for the upgrades plugin: its own services, as plugin.ts will give them.
    const upgradesUnderTest = createBackendPlugin({
      pluginId: 'upgrades',
      register(env) {
        env.registerInit({
          deps: {
            catalog: catalogServiceRef,
            auth: coreServices.auth,
            discovery: coreServices.discovery,
            urlReader: coreServices.urlReader,
          },
          async init(deps) {
            services = deps;
          },
        });
      },
    });
    backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModulePaved,
        catalogPlugin,
        catalogModuleTemplateKind,
        upgradesUnderTest,
        mockServices.rootConfig.factory({
          data: {
            paved: { localRepositories: { directory: repositories } },
            catalog: {
              rules: [{ allow: ['Template', 'Location'] }],
              locations: [
                {
                  type: 'file',
                  target: path.join(template.dir, 'template.yaml'),
                },
              ],
            },
          },
        }),
      ],
    });
    const probe = new CatalogTemplateVersions({ ...services, cacheTtlMs: 0 });
    await waitFor('the template in the catalog', () => probe.list(REF), {
      timeoutMs: 60_000,
    });
  });

  afterAll(async () => {
    await backend?.stop();
    for (const dir of [template?.dir, repositories]) {
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('renders both versions; they differ only where the template changed and in the version stamps', async () => {
    const versions = new CatalogTemplateVersions(services);
    const renderer = new ScaffolderDryRunRenderer(services);
    const { latest } = await versions.list(REF);
    expect(latest).toBe(template.current);

    const [current, old] = await Promise.all([
      versions.read(REF, latest),
      versions.read(REF, OLD),
    ]);
    const [theirs, base] = await Promise.all([
      renderer.render(current, ANSWERS),
      renderer.render(old, ANSWERS),
    ]);
    expect(theirs.get('package.json')?.content.toString()).toContain(
      '"name": "orders-api"',
    );

    const templateChanges = changedPaths(
      skeletonFiles(path.join(template.dir, 'versions', OLD, 'skeleton')),
      skeletonFiles(path.join(template.dir, 'skeleton')),
    );
    expect(templateChanges.length).toBeGreaterThan(0);
    const stamps = ['.paved/golden-path.yaml', 'catalog-info.yaml'].filter(
      p => !templateChanges.includes(p),
    );
    expect(changedPaths(contents(base), contents(theirs))).toEqual(
      [...templateChanges, ...stamps].sort(),
    );

    // The stamps differ in the version and nothing else.
    expect(
      changedLines(
        base.get('catalog-info.yaml')!.content,
        theirs.get('catalog-info.yaml')!.content,
      ),
    ).toEqual([
      [
        expect.stringMatching(
          new RegExp(
            `paved.dev/template-version: .?${OLD.replace(/\./g, '\\.')}`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            `paved.dev/template-version: .?${latest.replace(/\./g, '\\.')}`,
          ),
        ),
      ],
    ]);
    // Written by the lineage step from the answers (with the form's defaults).
    expect(
      changedLines(
        base.get('.paved/golden-path.yaml')!.content,
        theirs.get('.paved/golden-path.yaml')!.content,
      ),
    ).toEqual([[`version: ${OLD}`, `version: ${latest}`]]);
  });

  it('names a required parameter the recorded answers lack', async () => {
    const versions = new CatalogTemplateVersions(services);
    const renderer = new ScaffolderDryRunRenderer(services);
    const current = await versions.read(REF, template.current);
    const { owner, ...withoutOwner } = ANSWERS;
    const error = await renderer.render(current, withoutOwner).catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      `Template typescript-service ${template.current} needs parameter 'owner', which orders-api never answered`,
    );
  });

  it('passes on a failing step’s error', async () => {
    const versions = new CatalogTemplateVersions(services);
    const renderer = new ScaffolderDryRunRenderer(services);
    const current = await versions.read(REF, template.current);
    // The version without its skeleton: fetch:template has nothing to copy.
    const broken = {
      ...current,
      files: new Map(
        [...current.files].filter(([p]) => !p.startsWith('skeleton/')),
      ),
    };
    await expect(renderer.render(broken, ANSWERS)).rejects.toThrow(
      /^Template typescript-service \S+ could not be rendered: the scaffolder answered HTTP 500: .*skeleton/,
    );
  });

  it('measures a render (median of 10)', async () => {
    const versions = new CatalogTemplateVersions(services);
    const renderer = new ScaffolderDryRunRenderer(services);
    const current = await versions.read(REF, template.current);
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      const start = process.hrtime.bigint();
      await renderer.render(current, ANSWERS);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    times.sort((a, b) => a - b);
    const median = (times[4] + times[5]) / 2;
    // eslint-disable-next-line no-console
    console.info(
      `one render of typescript-service: median ${median.toFixed(
        0,
      )} ms (min ${times[0].toFixed(0)}, max ${times[9].toFixed(0)})`,
    );
    expect(median).toBeLessThan(10_000);
  });
});

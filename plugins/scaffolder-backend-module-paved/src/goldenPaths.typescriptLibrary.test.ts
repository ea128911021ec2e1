/*
 * The typescript-library golden path through the real scaffolder's dry-run API with
 * sample input, and checks on what it produces (goldenPathsBuild.test.ts builds and
 * tests it).
 */
import { parse } from 'yaml';
import {
  dryRun,
  dryRunOk,
  filesOf,
  goldenPathOf,
  SAMPLE_INPUT,
  ScaffolderBackend,
  startScaffolder,
  yamlErrorsOf,
} from './__testUtils__/goldenPaths';

describe('golden path dry runs: typescript-library', () => {
  let backend: ScaffolderBackend;
  let files: Map<string, string>;
  const input = SAMPLE_INPUT['typescript-library'];

  beforeAll(async () => {
    backend = await startScaffolder();
    files = filesOf(
      await dryRunOk(backend.server, 'typescript-library', input),
    );
  }, 60_000);
  afterAll(() => backend.stop());

  it('produces an ESM package with tests, lint, a lockfile, a changelog and docs', () => {
    for (const expected of [
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'eslint.config.mjs',
      'vitest.config.mts',
      'src/index.ts',
      'src/result.ts',
      'src/retry.ts',
      'src/result.test.ts',
      'src/retry.test.ts',
      '.github/workflows/ci.yaml',
      'catalog-info.yaml',
      'CHANGELOG.md',
      'README.md',
      'mkdocs.yml',
      'docs/index.md',
    ]) {
      expect({ file: expected, present: files.has(expected) }).toEqual({
        file: expected,
        present: true,
      });
    }
    // A library is not deployed: nothing to run in a cluster.
    expect(
      [...files.keys()].filter(
        file => file.startsWith('deploy/') || file === 'Dockerfile',
      ),
    ).toEqual([]);

    const pkg = JSON.parse(files.get('package.json')!);
    expect(pkg).toMatchObject({
      name: 'http-resilience',
      description: input.description,
      type: 'module',
      exports: {
        '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      },
      types: './dist/index.d.ts',
    });
    // Published, so not private, and only the build output and sources ship.
    expect(pkg.private).toBeUndefined();
    expect(pkg.files).toEqual(expect.arrayContaining(['dist']));
    expect(Object.keys(pkg.scripts)).toEqual(
      expect.arrayContaining(['build', 'test', 'lint']),
    );
    for (const [dep, version] of Object.entries(pkg.devDependencies)) {
      expect({ dep, version }).toEqual({
        dep,
        version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      });
    }

    const tsconfig = JSON.parse(files.get('tsconfig.json')!);
    expect(tsconfig.compilerOptions).toMatchObject({
      declaration: true,
      outDir: 'dist',
    });

    const lock = JSON.parse(files.get('package-lock.json')!);
    expect(lock.name).toBe('http-resilience');
    expect(lock.packages[''].name).toBe('http-resilience');
    expect(lock.packages[''].devDependencies).toEqual(pkg.devDependencies);
    expect(files.get('package-lock.json')).not.toContain('"resolved"');

    expect(files.get('CHANGELOG.md')).toMatch(/^## \[0\.1\.0\]$/m);
  });

  it('keeps the template, its version and the answers in .paved/golden-path.yaml', () => {
    expect(goldenPathOf(files)).toEqual({
      template: 'template:default/typescript-library',
      version: '1.0.0',
      // ${{ parameters }} reaches the lineage step as an object, not text.
      values: input,
    });
  });

  it('has a catalog entry for a library, with TechDocs and no Kubernetes annotations', () => {
    const entity = parse(files.get('catalog-info.yaml')!);
    expect(entity.kind).toBe('Component');
    expect(entity.metadata.name).toBe('http-resilience');
    expect(entity.metadata.description).toBe(input.description);
    expect(entity.spec).toEqual({
      type: 'library',
      owner: 'group:default/platform-team',
      system: 'system:default/platform',
      lifecycle: 'production',
    });
    expect(entity.metadata.annotations).toEqual({
      'backstage.io/techdocs-ref': 'dir:.',
      // Named after the template's metadata, not the dry run's
      // template:default/dry-run: upgrades render through dry runs.
      'paved.dev/template': 'template:default/typescript-library',
      'paved.dev/template-version': '1.0.0',
    });
  });

  it('publishes on a version tag with the NPM_TOKEN secret, and parses every YAML file', () => {
    const workflow = files.get('.github/workflows/ci.yaml')!;
    expect(workflow).toContain('${{ secrets.NPM_TOKEN }}');
    expect(workflow).not.toContain('{%');
    const parsed = parse(workflow);
    expect(parsed.on.push.tags).toEqual(['v*']);
    expect(Object.keys(parsed.jobs)).toEqual(['test', 'publish']);
    expect(parsed.jobs.publish.needs).toBe('test');
    expect(parsed.jobs.publish.if).toBe(
      "startsWith(github.ref, 'refs/tags/v')",
    );
    const publish = parsed.jobs.publish.steps.find(
      (step: { run?: string }) => step.run === 'npm publish',
    );
    expect(publish.env).toEqual({
      NODE_AUTH_TOKEN: '${{ secrets.NPM_TOKEN }}',
    });

    expect(yamlErrorsOf(files)).toEqual([]);
  });

  it('refuses a name that is not a valid entity and package name, before writing anything', async () => {
    const response = await dryRun(backend.server, 'typescript-library', {
      ...input,
      name: 'HTTP_Resilience',
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.errors)).toContain('name');
  }, 60_000);
});

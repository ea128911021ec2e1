/*
 * The react-web-app golden path through the real scaffolder's dry-run API with sample
 * input, and checks on what it produces (goldenPathsBuild.test.ts builds and tests it).
 */
import { parse } from 'yaml';
import { parseScoreWorkload } from '@paved/plugin-deployments-common';
import {
  dryRun,
  dryRunOk,
  expectCiWorkflow,
  filesOf,
  goldenPathOf,
  renderSkeleton,
  SAMPLE_INPUT,
  ScaffolderBackend,
  startScaffolder,
  yamlErrorsOf,
} from './__testUtils__/goldenPaths';

describe('golden path dry runs: react-web-app', () => {
  let backend: ScaffolderBackend;
  let files: Map<string, string>;
  const input = SAMPLE_INPUT['react-web-app'];

  beforeAll(async () => {
    backend = await startScaffolder();
    files = filesOf(await dryRunOk(backend.server, 'react-web-app', input));
  }, 60_000);
  afterAll(() => backend.stop());

  it('produces a Vite + React project with tests, lint, a lockfile and docs', () => {
    for (const expected of [
      'package.json',
      'package-lock.json',
      'index.html',
      'vite.config.ts',
      'tsconfig.json',
      'eslint.config.mjs',
      'src/main.tsx',
      'src/App.tsx',
      'src/App.test.tsx',
      'src/config.ts',
      'public/config.json',
      'nginx.conf',
      'Dockerfile',
      '.github/workflows/ci.yaml',
      'deploy/base/kustomization.yaml',
      'deploy/base/deployment.yaml',
      'deploy/base/service.yaml',
      'deploy/base/hpa.yaml',
      'deploy/base/pdb.yaml',
      'deploy/overlays/staging/kustomization.yaml',
      'deploy/overlays/production/kustomization.yaml',
      'catalog-info.yaml',
      'mkdocs.yml',
      'docs/index.md',
      'docs/operations.md',
      'README.md',
      'score.yaml',
    ]) {
      expect({ file: expected, present: files.has(expected) }).toEqual({
        file: expected,
        present: true,
      });
    }

    const pkg = JSON.parse(files.get('package.json')!);
    expect(pkg.name).toBe('orders-web');
    expect(pkg.description).toBe(input.description);
    expect(Object.keys(pkg.scripts)).toEqual(
      expect.arrayContaining(['build', 'test', 'lint']),
    );
    // Exact versions: what the lockfile resolves is what package.json says.
    for (const [dep, version] of Object.entries({
      ...pkg.dependencies,
      ...pkg.devDependencies,
    })) {
      expect({ dep, version }).toEqual({
        dep,
        version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      });
    }
    expect(pkg.dependencies).toHaveProperty('react');
    expect(pkg.devDependencies).toHaveProperty('vite');
    expect(pkg.devDependencies).toHaveProperty('vitest');
    expect(pkg.devDependencies).toHaveProperty('@testing-library/react');

    const lock = JSON.parse(files.get('package-lock.json')!);
    expect(lock.name).toBe('orders-web');
    expect(lock.packages[''].name).toBe('orders-web');
    expect(lock.packages[''].devDependencies).toEqual(pkg.devDependencies);
    // The lockfile names no registry, so npm ci uses whichever one is configured.
    expect(files.get('package-lock.json')).not.toContain('"resolved"');

    expect(files.get('src/appInfo.ts')).toContain(
      `description: ${JSON.stringify(input.description)},`,
    );
  });

  it('serves the API base URL from /config.json, per environment', () => {
    const defaults = JSON.parse(files.get('public/config.json')!);
    expect(defaults).toEqual({ apiBaseUrl: 'https://orders-api.example.com/' });
    for (const env of ['staging', 'production']) {
      expect(
        JSON.parse(files.get(`deploy/overlays/${env}/config.json`)!),
      ).toEqual(defaults);
    }
  });

  it('keeps the template, its version and the answers in .paved/golden-path.yaml', () => {
    expect(goldenPathOf(files)).toEqual({
      template: 'template:default/react-web-app',
      version: '1.0.0',
      // ${{ parameters }} reaches the lineage step as an object, not text.
      values: input,
    });
  });

  it('has a catalog entry for a website with Kubernetes and TechDocs annotations', () => {
    const entity = parse(files.get('catalog-info.yaml')!);
    expect(entity.kind).toBe('Component');
    expect(entity.metadata.name).toBe('orders-web');
    expect(entity.metadata.description).toBe(input.description);
    expect(entity.spec).toEqual({
      type: 'website',
      owner: 'group:default/checkout-team',
      system: 'system:default/storefront',
      lifecycle: 'experimental',
    });
    expect(entity.metadata.annotations).toEqual({
      'backstage.io/kubernetes-id': 'orders-web',
      'backstage.io/kubernetes-namespace': 'team-checkout',
      'backstage.io/techdocs-ref': 'dir:.',
      // Named after the template's metadata, not the dry run's
      // template:default/dry-run: upgrades render through dry runs.
      'paved.dev/template': 'template:default/react-web-app',
      'paved.dev/template-version': '1.0.0',
      'paved.dev/image': 'orders-web',
    });
  });

  it('ships a score.yaml that is a valid Score workload serving its config.json', () => {
    const parsed = parseScoreWorkload(files.get('score.yaml')!);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const { workload } = parsed;
    expect(workload.metadata.name).toBe('orders-web');
    expect(workload.resources).toBeUndefined();
    expect(workload.service).toEqual({
      ports: { http: { port: 80, targetPort: 8080 } },
    });
    const main = workload.containers.main;
    expect(main.image).toBe('.');
    expect(main.readinessProbe?.httpGet).toEqual({
      path: '/healthz',
      port: 8080,
    });
    expect(main.livenessProbe?.httpGet).toEqual({
      path: '/healthz',
      port: 8080,
    });
    expect(main.resources?.limits).toEqual({ cpu: '200m', memory: '128Mi' });
    const files_ = main.files as Record<string, { content: string }>;
    // Quotes and a colon in the description do not matter; the URL is JSON-escaped.
    expect(
      JSON.parse(files_['/usr/share/nginx/html/config.json'].content),
    ).toEqual({ apiBaseUrl: input.apiBaseUrl });
  });

  it('deploys with probes, limits and the labels the Kubernetes plugin looks for', () => {
    const deployment = parse(files.get('deploy/base/deployment.yaml')!);
    expect(deployment.metadata.labels).toMatchObject({
      'app.kubernetes.io/name': 'orders-web',
      'app.kubernetes.io/part-of': 'storefront',
      'backstage.io/kubernetes-id': 'orders-web',
    });
    expect(deployment.spec.template.metadata.labels).toMatchObject({
      'app.kubernetes.io/name': 'orders-web',
      'backstage.io/kubernetes-id': 'orders-web',
    });
    const container = deployment.spec.template.spec.containers[0];
    expect(container.readinessProbe.httpGet).toEqual({
      path: '/healthz',
      port: 'http',
    });
    expect(container.livenessProbe.httpGet).toEqual({
      path: '/healthz',
      port: 'http',
    });
    expect(container.ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
    ]);
    expect(container.resources.requests).toEqual({
      cpu: expect.any(String),
      memory: expect.any(String),
    });
    expect(container.resources.limits).toEqual({
      cpu: expect.any(String),
      memory: expect.any(String),
    });
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(
      true,
    );

    // nginx answers the probe path itself.
    expect(files.get('nginx.conf')).toMatch(/location = \/healthz \{/);
    expect(files.get('nginx.conf')).toContain('listen 8080;');

    for (const kind of ['service', 'hpa', 'pdb']) {
      const manifest = parse(files.get(`deploy/base/${kind}.yaml`)!);
      expect(manifest.metadata.labels['backstage.io/kubernetes-id']).toBe(
        'orders-web',
      );
    }
    expect(parse(files.get('deploy/base/kustomization.yaml')!)).toMatchObject({
      resources: ['deployment.yaml', 'service.yaml', 'hpa.yaml', 'pdb.yaml'],
    });
    for (const env of ['staging', 'production']) {
      const overlay = parse(
        files.get(`deploy/overlays/${env}/kustomization.yaml`)!,
      );
      expect(overlay.namespace).toBe('team-checkout');
      expect(overlay.resources).toEqual(['../../base']);
    }
  });

  it('builds the image in two stages and serves it with unprivileged nginx', () => {
    const dockerfile = files.get('Dockerfile')!;
    expect(dockerfile).toMatch(/^FROM node:22\S* AS build$/m);
    expect(dockerfile).toMatch(
      /^FROM nginxinc\/nginx-unprivileged:\S+ AS runtime$/m,
    );
    expect(dockerfile).toContain('RUN npm ci');
    expect(dockerfile).toContain('COPY --from=build /app/dist ');
  });

  it('keeps GitHub expressions in the workflow and parses every YAML file', () => {
    const workflow = files.get('.github/workflows/ci.yaml')!;
    expect(workflow).toContain('${{ secrets.');
    expect(workflow).not.toContain('{%');
    const parsed = parse(workflow);
    expect(Object.keys(parsed.jobs)).toEqual([
      'test',
      'image',
      'deploy-staging',
    ]);
    expect(parsed.env).toMatchObject({
      IMAGE_NAME: 'orders-web',
      K8S_NAMESPACE: 'team-checkout',
    });

    expect(yamlErrorsOf(files)).toEqual([]);
  });

  it.each([true, false])(
    'generates CI that deploys through Paved only when deploying was asked (deploy: %s)',
    async deploy => {
      const rendered = await renderSkeleton(backend.server, 'react-web-app', {
        ...input,
        deploy,
      });
      expectCiWorkflow(rendered.get('.github/workflows/ci.yaml')!, {
        name: 'orders-web',
        namespace: 'team-checkout',
        deploy,
      });
      const readme = rendered.get('README.md')!;
      expect(readme).not.toContain('{%');
      expect(readme).toContain(
        deploy
          ? 'deploy through Paved to `orders-web-dev`'
          : 'deploy to staging',
      );
    },
    60_000,
  );

  it('refuses a name that is not a valid entity and Kubernetes name, before writing anything', async () => {
    const response = await dryRun(backend.server, 'react-web-app', {
      ...input,
      name: 'Orders_Web',
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.errors)).toContain('name');
  }, 60_000);
});

/*
 * The typescript-service golden path through the real scaffolder's dry-run API with
 * sample input, and checks on what it produces, so that a template or skeleton change
 * that breaks the generated service fails here rather than in a developer's new
 * repository. The other golden paths have a goldenPaths.<template>.test.ts each;
 * goldenPathsBuild.test.ts builds and tests what they all produce.
 */
import request from 'supertest';
import { parse } from 'yaml';
import { mockCredentials } from '@backstage/backend-test-utils';
import { parseScoreWorkload } from '@paved/plugin-deployments-common';
import {
  dryRun,
  expectCiWorkflow,
  filesOf,
  goldenPathOf,
  readTemplate,
  renderSkeleton,
  SAMPLE_INPUT,
  ScaffolderBackend,
  startScaffolder,
} from './__testUtils__/goldenPaths';

describe('golden path dry runs', () => {
  let backend: ScaffolderBackend;
  beforeAll(async () => {
    backend = await startScaffolder();
  }, 60_000);
  afterAll(() => backend.stop());

  const serviceInput = SAMPLE_INPUT['typescript-service'];

  it('typescript-service produces a deployable, observable, catalogued service', async () => {
    const response = await dryRun(
      backend.server,
      'typescript-service',
      serviceInput,
    );
    expect(response.status).toBe(200);
    const files = filesOf(response);

    for (const expected of [
      'package.json',
      'src/app.ts',
      'src/app.test.ts',
      'src/tracing.ts',
      'Dockerfile',
      '.github/workflows/ci.yaml',
      'deploy/base/deployment.yaml',
      'deploy/base/service.yaml',
      'deploy/base/hpa.yaml',
      'deploy/base/pdb.yaml',
      'deploy/overlays/staging/kustomization.yaml',
      'deploy/overlays/production/kustomization.yaml',
      'observability/grafana-dashboard.json',
      'observability/prometheus-rules.yaml',
      'mkdocs.yml',
      'docs/index.md',
      'score.yaml',
    ]) {
      expect(files.has(expected)).toBe(true);
    }

    expect(JSON.parse(files.get('package.json')!).name).toBe('orders-api');
    JSON.parse(files.get('observability/grafana-dashboard.json')!);

    const entity = parse(files.get('catalog-info.yaml')!);
    expect(entity.metadata.name).toBe('orders-api');
    expect(entity.spec).toMatchObject({
      owner: 'group:default/checkout-team',
      lifecycle: 'experimental',
    });
    expect(entity.metadata.annotations).toMatchObject({
      'backstage.io/kubernetes-id': 'orders-api',
      'backstage.io/techdocs-ref': 'dir:.',
      'paved.dev/template': 'template:default/typescript-service',
      'paved.dev/template-version': '1.1.0',
      'paved.dev/image': 'orders-api',
    });

    // ${{ parameters }} reaches the lineage step as an object: the answers are kept
    // as the form sent them, with the real template's ref (not the dry run's
    // template:default/dry-run), for template upgrades to render again.
    expect(goldenPathOf(files)).toEqual({
      template: 'template:default/typescript-service',
      version: '1.1.0',
      values: serviceInput,
    });

    const deployment = parse(files.get('deploy/base/deployment.yaml')!);
    const container = deployment.spec.template.spec.containers[0];
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.resources.limits).toBeDefined();
    expect(
      deployment.spec.template.metadata.labels['backstage.io/kubernetes-id'],
    ).toBe('orders-api');

    // GitHub's own expressions survive the scaffolder's templating.
    const workflow = files.get('.github/workflows/ci.yaml')!;
    expect(workflow).toContain('${{ secrets.');
    parse(workflow);
  }, 60_000);

  it('ships a score.yaml that is a valid Score workload, with a database only when asked', async () => {
    const withoutDb = filesOf(
      await dryRun(backend.server, 'typescript-service', {
        ...serviceInput,
        port: 8081,
      }),
    );
    const parsed = parseScoreWorkload(withoutDb.get('score.yaml')!);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(parsed.workload).toEqual({
      apiVersion: 'score.dev/v1b1',
      metadata: { name: 'orders-api' },
      containers: {
        main: {
          image: '.',
          variables: {
            PORT: '8081',
            LOG_LEVEL: 'info',
            SHUTDOWN_DELAY_MS: '5000',
            OTEL_SERVICE_NAME: '${metadata.name}',
          },
          livenessProbe: { httpGet: { path: '/healthz', port: 8081 } },
          readinessProbe: { httpGet: { path: '/readyz', port: 8081 } },
          resources: {
            requests: { cpu: '100m', memory: '128Mi' },
            limits: { cpu: '500m', memory: '256Mi' },
          },
        },
      },
      service: { ports: { http: { port: 80, targetPort: 8081 } } },
    });

    const withDb = filesOf(
      await dryRun(backend.server, 'typescript-service', {
        ...serviceInput,
        database: true,
      }),
    );
    const parsedWithDb = parseScoreWorkload(withDb.get('score.yaml')!);
    if (!parsedWithDb.ok)
      throw new Error(JSON.stringify(parsedWithDb.problems));
    expect(parsedWithDb.workload.resources).toEqual({
      db: { type: 'postgres' },
    });
    expect(parsedWithDb.workload.containers.main.variables).toMatchObject({
      PORT: '8080',
      PGHOST: '${resources.db.host}',
      PGPORT: '${resources.db.port}',
      PGDATABASE: '${resources.db.name}',
      PGUSER: '${resources.db.username}',
      PGPASSWORD: '${resources.db.password}',
    });
  }, 60_000);

  it.each([true, false])(
    'generates CI that deploys through Paved only when deploying was asked (deploy: %s)',
    async deploy => {
      const files = await renderSkeleton(backend.server, 'typescript-service', {
        ...serviceInput,
        deploy,
      });
      expectCiWorkflow(files.get('.github/workflows/ci.yaml')!, {
        name: 'orders-api',
        namespace: 'team-checkout',
        deploy,
      });
      const readme = files.get('README.md')!;
      expect(readme).not.toContain('{%');
      expect(readme).toContain(
        deploy
          ? 'deploy through Paved to `orders-api-dev`'
          : 'deploy to staging',
      );
    },
    60_000,
  );

  it('refuses a name that is not a valid entity and Kubernetes name, before writing anything', async () => {
    const response = await dryRun(backend.server, 'typescript-service', {
      ...serviceInput,
      name: 'Orders_API',
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.errors)).toContain('name');
  }, 60_000);

  it('only warns about a name the catalog already has in a dry run, which creates nothing', async () => {
    // Template upgrades render existing services, whose names are taken, through
    // dry runs; a real run refuses the name (createCheckNameAction.test.ts).
    const response = await dryRun(backend.server, 'typescript-service', {
      ...serviceInput,
      name: 'payments-api',
    });
    expect(response.status).toBe(200);
    expect(JSON.stringify(response.body.log)).toContain(
      "name 'payments-api' is taken: the catalog already has component:default/payments-api (owned by payments-team); go back and choose another name (dry run: nothing is created)",
    );
    expect(goldenPathOf(filesOf(response)).values.name).toBe('payments-api');
  }, 60_000);

  it('publishes and registers in the dry run without creating anything, and links to the new entity', async () => {
    const response = await dryRun(
      backend.server,
      'typescript-service',
      serviceInput,
    );
    expect(response.status).toBe(200);
    expect(response.body.output.links).toEqual([
      {
        title: 'Repository',
        url: expect.stringMatching(
          /^file:\/\/.*\/repositories\/orders-api\.git$/,
        ),
      },
      {
        title: 'Open in catalog',
        icon: 'catalog',
        entityRef: 'component:default/orders-api',
      },
    ]);
    const log = JSON.stringify(response.body.log);
    expect(log).toContain('Dry run: would publish orders-api');
    expect(log).toContain(
      'Dry run: would register component:default/orders-api',
    );
  }, 60_000);

  it('still renders the kept 1.0.0, which differs from 1.1.0 by the release only', async () => {
    // What a template upgrade renders: the service's recorded version and the
    // current one, from the same answers.
    const renderKept = async (folder: string) => {
      const { template, directoryContents } = readTemplate(folder);
      const response = await request(backend.server)
        .post('/api/scaffolder/v2/dry-run')
        .set('authorization', mockCredentials.user.header())
        .send({ template, values: serviceInput, directoryContents });
      expect(response.status).toBe(200);
      return filesOf(response);
    };
    const old = await renderKept('typescript-service/versions/1.0.0');
    const current = await renderKept('typescript-service');

    expect(goldenPathOf(old)).toEqual({
      template: 'template:default/typescript-service',
      version: '1.0.0',
      values: serviceInput,
    });
    const changed = [...new Set([...old.keys(), ...current.keys()])]
      .filter(file => old.get(file) !== current.get(file))
      .sort();
    expect(changed).toEqual([
      '.nvmrc',
      '.paved/golden-path.yaml',
      'Dockerfile',
      'catalog-info.yaml',
    ]);
    expect(old.has('.nvmrc')).toBe(false);
    expect(current.get('Dockerfile')).toContain(
      'HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \\\n  CMD ["node", "-e", "fetch(\'http://127.0.0.1:\' + (process.env.PORT || 8080) + \'/healthz\')',
    );
    expect(old.get('Dockerfile')).not.toContain('HEALTHCHECK');
  }, 60_000);
});

/*
 * The deployable golden paths (typescript-service, react-web-app) with "Deploy to a
 * new development environment" ticked, through the real scaffolder's dry-run API
 * next to the real provisioning plugin (a stand-in `environment` type, so that no
 * cluster is needed): the environment step checks its type, the deploy step reads and
 * validates the generated score.yaml, and neither files anything. The real rollout is
 * the browser test's (Create → pods Running).
 */
// The test runs the real provisioning plugin next to the scaffolder, on purpose.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import provisioningPlugin from '@paved/plugin-provisioning-backend';
import { standInResourceTypes, testWorkerConfig } from '@paved/test-utils';
import { parse } from 'yaml';
import {
  dryRun,
  dryRunOk,
  filesOf,
  SAMPLE_INPUT,
  ScaffolderBackend,
  startScaffolder,
} from './__testUtils__/goldenPaths';

const standInEnvironment = standInResourceTypes('stand-in-environment', [
  {
    id: 'environment',
    title: 'Environment (stand-in)',
    description: 'Accepts what the golden paths ask for',
    catalogType: 'environment',
    parameters: {
      type: 'object',
      additionalProperties: false,
      properties: {
        stage: { type: 'string' },
        component: { type: 'string' },
      },
    },
    async provision() {},
    async destroy() {},
  },
]);

const logOf = (response: { body: { log?: unknown } }) =>
  JSON.stringify(response.body.log);

describe('golden path dry runs with a deployment', () => {
  let backend: ScaffolderBackend;
  beforeAll(async () => {
    backend = await startScaffolder({
      features: [provisioningPlugin, standInEnvironment],
      config: { provisioning: { worker: testWorkerConfig() } },
    });
  }, 60_000);
  afterAll(() => backend?.stop());

  it('typescript-service asks for <name>-dev and deploys its score.yaml with its database', async () => {
    const response = await dryRunOk(backend.server, 'typescript-service', {
      ...SAMPLE_INPUT['typescript-service'],
      deploy: true,
      database: true,
    });
    const log = logOf(response);
    expect(log).toContain(
      "Dry run: would request environment 'orders-api-dev' for group:default/checkout-team",
    );
    expect(log).toContain(
      "Dry run: would deploy workload 'orders-api' of component:default/orders-api with image orders-api:latest to environment 'orders-api-dev'",
    );
    const files = filesOf(response);
    expect(files.get('score.yaml')).toContain('type: postgres');
    // Its pods run in orders-api-dev: the Kubernetes tab must not be held to the
    // team's namespace.
    const annotations = parse(files.get('catalog-info.yaml')!).metadata
      .annotations;
    expect(annotations['backstage.io/kubernetes-id']).toBe('orders-api');
    expect(annotations['backstage.io/kubernetes-namespace']).toBeUndefined();
    expect(annotations['paved.dev/image']).toBe('orders-api');
  }, 60_000);

  it('react-web-app asks for <name>-dev and deploys its score.yaml', async () => {
    const response = await dryRunOk(backend.server, 'react-web-app', {
      ...SAMPLE_INPUT['react-web-app'],
      deploy: true,
    });
    expect(logOf(response)).toContain(
      "Dry run: would deploy workload 'orders-web' of component:default/orders-web with image orders-web:latest to environment 'orders-web-dev'",
    );
  }, 60_000);

  it('skips both steps when deploying was not asked', async () => {
    const response = await dryRunOk(backend.server, 'typescript-service', {
      ...SAMPLE_INPUT['typescript-service'],
      deploy: false,
    });
    const log = logOf(response);
    expect(log).not.toContain('would request environment');
    expect(log).not.toContain('would deploy');
    expect(
      parse(filesOf(response).get('catalog-info.yaml')!).metadata.annotations[
        'backstage.io/kubernetes-namespace'
      ],
    ).toBe('team-checkout');
    expect(
      response.body.output.links.map((link: { title: string }) => link.title),
    ).toEqual(['Repository', 'Open in catalog']);
  }, 60_000);

  it('refuses a form value of the wrong type for the deploy option', async () => {
    const response = await dryRun(backend.server, 'typescript-service', {
      ...SAMPLE_INPUT['typescript-service'],
      deploy: 'yes',
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.errors)).toContain('deploy');
  }, 60_000);
});

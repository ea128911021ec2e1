/*
 * Shared by the golden path tests: every template in templates/ runs through the real
 * scaffolder's dry-run API with sample input, so that a template or skeleton change
 * that breaks the generated project fails here rather than in a developer's new
 * repository.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { parse, parseAllDocuments } from 'yaml';
import {
  GOLDEN_PATH_FILE,
  GoldenPathAnswers,
  parseGoldenPathFile,
} from '@paved/plugin-upgrades-common';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { waitFor } from '@paved/test-utils';
import { scaffolderModulePaved } from '../module';

export const TEMPLATES = path.resolve(__dirname, '../../../../templates');

/**
 * The steps every golden path has, in this order: the name check before anything
 * is written, generation, lineage, the config-chosen publish, and registration. All
 * of them run in the dry runs (the paved:* actions support dry runs).
 */
export const GOLDEN_PATH_STEPS = [
  'check-name',
  'fetch',
  'lineage',
  'publish',
  'register',
];

/**
 * The steps the deployable golden paths add after those, run only when the form asks
 * to deploy: a development environment, then the first deployment of `score.yaml`.
 */
export const DEPLOY_STEPS = ['environment', 'deploy'];

/** The golden paths that ship a `score.yaml` and offer to deploy it. */
export const DEPLOYABLE: readonly string[] = [
  'typescript-service',
  'react-web-app',
];

/**
 * Sample form input for each golden path, as the Create page would send it. The
 * owner is a group whose name ends in -team, so the Kubernetes namespace
 * (teamNamespace filter) is team-checkout.
 */
export const SAMPLE_INPUT = {
  'typescript-service': {
    name: 'orders-api',
    description: 'Takes and tracks customer orders',
    owner: 'group:default/checkout-team',
    system: 'system:default/storefront',
    lifecycle: 'experimental',
    port: 8080,
  },
  'react-web-app': {
    name: 'orders-web',
    // Quotes and a colon: must survive JSON, YAML and TypeScript rendering.
    description: 'Lets customers "track" their orders: status and delivery',
    owner: 'group:default/checkout-team',
    system: 'system:default/storefront',
    lifecycle: 'experimental',
    apiBaseUrl: 'https://orders-api.example.com/',
  },
  'typescript-library': {
    name: 'http-resilience',
    description:
      "Retry, timeout and Result helpers for the platform's services",
    owner: 'group:default/platform-team',
    system: 'system:default/platform',
    lifecycle: 'production',
  },
} satisfies Record<string, Record<string, unknown>>;

export type GoldenPath = keyof typeof SAMPLE_INPUT;

export type ScaffolderBackend = Awaited<ReturnType<typeof startTestBackend>>;

const SAMPLE_ORG = path.resolve(TEMPLATES, '../examples/org/all.yaml');

/**
 * The scaffolder with Paved's module, as the portal runs it, next to the real
 * catalog holding the sample organization (so names can collide and entities are
 * validated by the catalog itself). Local repositories go to a throwaway folder.
 */
export async function startScaffolder(
  options: {
    /** More plugins and modules, e.g. the provisioning plugin for the deploy steps. */
    features?: Parameters<typeof startTestBackend>[0]['features'];
    config?: Record<string, unknown>;
  } = {},
): Promise<ScaffolderBackend> {
  const repositories = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-paths-'));
  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModulePaved,
      catalogPlugin,
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          paved: { localRepositories: { directory: repositories } },
          catalog: {
            rules: [
              {
                allow: [
                  'Component',
                  'System',
                  'API',
                  'Resource',
                  'Location',
                  'Domain',
                  'Group',
                  'User',
                ],
              },
            ],
            locations: [{ type: 'file', target: SAMPLE_ORG }],
          },
        },
      }),
    ],
  });
  await waitFor(
    'the sample organization in the catalog',
    async () =>
      (
        await request(backend.server)
          .get('/api/catalog/entities/by-name/component/default/payments-api')
          .set('authorization', mockCredentials.user.header())
      ).status === 200,
    { timeoutMs: 60_000 },
  );
  return backend;
}

/**
 * Not part of the version a template folder holds: its kept older versions and its
 * changelog (templates/README.md, "Versions and upgrades").
 */
const NOT_IN_A_VERSION = new Set(['versions', 'CHANGELOG.md']);

/**
 * A template as the catalog would hold it, and its files as the dry-run API takes
 * them. `name` is a folder under templates/: a golden path (its current version) or
 * one of its kept versions, e.g. typescript-service/versions/1.0.0.
 */
export function readTemplate(name: string) {
  const dir = path.join(TEMPLATES, name);
  const template = parse(
    fs.readFileSync(path.join(dir, 'template.yaml'), 'utf8'),
  );
  const directoryContents = (
    fs.readdirSync(dir, { recursive: true }) as string[]
  )
    .filter(file => !NOT_IN_A_VERSION.has(file.split(path.sep)[0]))
    .filter(file => fs.statSync(path.join(dir, file)).isFile())
    .map(file => ({
      path: file,
      base64Content: fs.readFileSync(path.join(dir, file)).toString('base64'),
    }));
  return { template, directoryContents };
}

/** Runs a template, all its steps, through the scaffolder's dry-run API. */
export async function dryRun(
  server: Parameters<typeof request>[0],
  name: string,
  values: Record<string, unknown>,
) {
  const { template, directoryContents } = readTemplate(name);
  const stepIds: string[] = template.spec.steps.map(
    (step: { id: string }) => step.id,
  );
  expect({ template: name, steps: stepIds }).toEqual({
    template: name,
    steps: DEPLOYABLE.includes(name)
      ? [...GOLDEN_PATH_STEPS, ...DEPLOY_STEPS]
      : GOLDEN_PATH_STEPS,
  });
  return request(server)
    .post('/api/scaffolder/v2/dry-run')
    .set('authorization', mockCredentials.user.header())
    .send({ template, values, directoryContents });
}

/** The generated files, path -> text. */
export function filesOf(response: request.Response): Map<string, string> {
  if (!Array.isArray(response.body?.directoryContents)) {
    throw new Error(
      `The dry run produced no files (HTTP ${
        response.status
      }): ${JSON.stringify(response.body)}`,
    );
  }
  return new Map(
    response.body.directoryContents.map(
      (file: { path: string; base64Content: string }) => [
        file.path,
        Buffer.from(file.base64Content, 'base64').toString('utf8'),
      ],
    ),
  );
}

/**
 * Runs a template through the dry-run API like dryRun, and fails with the
 * scaffolder's error (a failing step names itself there) unless it succeeded.
 */
export async function dryRunOk(
  server: Parameters<typeof request>[0],
  name: string,
  values: Record<string, unknown>,
): Promise<request.Response> {
  const response = await dryRun(server, name, values);
  if (response.status !== 200) {
    throw new Error(
      `The dry run of ${name} failed with HTTP ${
        response.status
      }: ${JSON.stringify(response.body, null, 2)}`,
    );
  }
  return response;
}

/**
 * The golden-path file among the generated files, parsed; fails saying it is missing.
 * Its template must be the real template's ref even though the dry-run API names
 * every template template:default/dry-run: upgrades render through dry runs.
 */
export function goldenPathOf(files: Map<string, string>): GoldenPathAnswers {
  const text = files.get(GOLDEN_PATH_FILE);
  if (text === undefined) {
    throw new Error(
      `The dry run produced no ${GOLDEN_PATH_FILE}; files: ${[
        ...files.keys(),
      ].join(', ')}`,
    );
  }
  return parseGoldenPathFile(text);
}

/** Parse errors of every YAML file among the generated files, as "file: message". */
export function yamlErrorsOf(files: Map<string, string>): string[] {
  return [...files]
    .filter(([file]) => /\.ya?ml$/.test(file))
    .flatMap(([file, text]) =>
      parseAllDocuments(text).flatMap(doc =>
        doc.errors.map(error => `${file}: ${error.message}`),
      ),
    );
}

/**
 * A template's skeleton as its fetch:template step renders it from the form values,
 * through the dry-run API with that step alone: options whose other steps need more
 * plugins (the deploy steps need the provisioning plugin) can be rendered next to
 * the scaffolder alone. Fails with the scaffolder's error unless it succeeded.
 */
export async function renderSkeleton(
  server: Parameters<typeof request>[0],
  name: string,
  values: Record<string, unknown>,
): Promise<Map<string, string>> {
  const { template, directoryContents } = readTemplate(name);
  template.spec.steps = template.spec.steps.filter(
    (step: { id: string }) => step.id === 'fetch',
  );
  delete template.spec.output;
  const response = await request(server)
    .post('/api/scaffolder/v2/dry-run')
    .set('authorization', mockCredentials.user.header())
    .send({ template, values, directoryContents });
  if (response.status !== 200) {
    throw new Error(
      `Rendering the skeleton of ${name} failed with HTTP ${
        response.status
      }: ${JSON.stringify(response.body, null, 2)}`,
    );
  }
  return filesOf(response);
}

/**
 * What the generated CI workflow must hold for either choice of "Deploy to a new
 * development environment": it parses, nothing of the scaffolder's templating is
 * left, GitHub's own expressions survive, and the last job deploys through Paved
 * (ticked) or with kustomize to staging (not ticked).
 */
export function expectCiWorkflow(
  workflow: string,
  options: { name: string; namespace: string; deploy: boolean },
) {
  expect(workflow).not.toContain('{%');
  expect(workflow).not.toContain('{{ values');
  expect(workflow).toContain('${{ secrets.REGISTRY }}');
  expect(workflow).toContain('${{ github.sha }}');
  const parsed = parse(workflow);
  expect(parsed.env.IMAGE_NAME).toBe(options.name);
  if (options.deploy) {
    expect(Object.keys(parsed.jobs)).toEqual(['test', 'image', 'deploy']);
    expect(parsed.env).toMatchObject({
      PAVED_COMPONENT: `component:default/${options.name}`,
      PAVED_ENVIRONMENT: `${options.name}-dev`,
    });
    expect(parsed.env.K8S_NAMESPACE).toBeUndefined();
    const job = parsed.jobs.deploy;
    expect(job).toMatchObject({
      name: 'Deploy through Paved',
      if: "github.event_name == 'push' && github.ref == 'refs/heads/main'",
      needs: 'image',
      env: {
        PAVED_URL: '${{ secrets.PAVED_URL }}',
        PAVED_CI_TOKEN: '${{ secrets.PAVED_CI_TOKEN }}',
      },
    });
    const script = job.steps
      .map((step: { run?: string }) => step.run ?? '')
      .join('\n');
    expect(script).toContain(
      'IMAGE="${REGISTRY}/${IMAGE_NAME}:${{ github.sha }}"',
    );
    expect(script).toContain('--argjson workload "$(yq -o=json score.yaml)"');
    expect(script).toContain(
      '--arg commitTime "$(git show -s --format=%cI HEAD)"',
    );
    expect(script).toContain('-H "Authorization: Bearer $PAVED_CI_TOKEN"');
    expect(script).toContain('"$PAVED_URL/api/provisioning/deployments"');
    expect(script).toContain(
      '"$PAVED_URL/api/provisioning/requests/$REQUEST_ID"',
    );
    expect(script).toContain('sleep 5');
    expect(script).not.toContain('kubectl');
    expect(workflow).toContain('PAVED_CI_TOKEN  ');
    expect(workflow).not.toContain('KUBE_CONFIG_STAGING');
  } else {
    expect(Object.keys(parsed.jobs)).toEqual([
      'test',
      'image',
      'deploy-staging',
    ]);
    expect(parsed.env.K8S_NAMESPACE).toBe(options.namespace);
    const job = parsed.jobs['deploy-staging'];
    expect(job).toMatchObject({ needs: 'image', environment: 'staging' });
    const script = job.steps
      .map((step: { run?: string }) => step.run ?? '')
      .join('\n');
    expect(script).toContain(
      'kustomize build deploy/overlays/staging | kubectl apply -f -',
    );
    expect(workflow).toContain('${{ secrets.KUBE_CONFIG_STAGING }}');
    expect(workflow).not.toContain('PAVED_CI_TOKEN');
  }
}

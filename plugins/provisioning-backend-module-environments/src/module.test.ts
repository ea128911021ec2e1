/*
 * The environment type and the pull-request endpoint end to end: the real
 * provisioning plugin (HTTP API, worker), this module, an in-memory catalog with the
 * components, and the real Kubernetes API server of the test cluster, written to as
 * the portal's RBAC-limited identity. Fails (never skips) without the cluster.
 */
import { mockCredentials, TestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import {
  portalKubernetesConfig,
  requireTestCluster,
  statusCodeOf,
  TestCluster,
  waitFor,
} from '@paved/kube-test-utils';
// The real engine the module plugs into, in tests only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import provisioningPlugin from '@paved/plugin-provisioning-backend';
import { randomBytes } from 'node:crypto';
import {
  expectDocumentedParameters,
  provisioningApi,
  startProvisioningBackend,
  testWorkerConfig,
} from '@paved/test-utils';
import request from 'supertest';
import provisioningModuleEnvironments from './index';

jest.setTimeout(120_000);

const RUN = `m${randomBytes(3).toString('hex')}`;
const OWNER = 'group:default/checkout-team';
const BOB = 'user:default/bob';
const TEMPLATE_ENV = `${RUN}-orders-main`;
const ORDERS = `${RUN}-orders`;
const WEB = `${RUN}-web`;

const component = (
  name: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', lifecycle: 'production', owner: 'checkout-team' },
});

const ENTITIES: Entity[] = [
  component(ORDERS, {
    'github.com/project-slug': `acme/${ORDERS}`,
    'paved.dev/image': 'registry.test/acme/orders',
    'paved.dev/pr-environment-source': TEMPLATE_ENV,
  }),
  // Found by where its catalog-info.yaml lives; no image annotation, no template.
  component(WEB, {
    'backstage.io/managed-by-location': `url:https://github.com/acme/${WEB}/blob/main/catalog-info.yaml`,
  }),
];

describe('environments through the provisioning API', () => {
  let cluster: TestCluster;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let backend: TestBackend;
  const namespaces = new Set<string>();

  beforeAll(async () => {
    cluster = requireTestCluster();
    core = cluster.kubeConfig.makeApiClient(CoreV1Api);
    apps = cluster.kubeConfig.makeApiClient(AppsV1Api);
    backend = await startProvisioningBackend({
      features: [
        provisioningPlugin,
        provisioningModuleEnvironments,
        catalogServiceMock.factory({ entities: ENTITIES }),
      ],
      config: {
        provisioning: {
          worker: testWorkerConfig({ observeIntervalMs: 200 }),
          environments: {
            ingressNamespace: 'ingress',
            kubernetes: portalKubernetesConfig(cluster),
          },
        },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await Promise.all(
      [...namespaces].map(name =>
        core?.deleteNamespace({ name }).catch(() => undefined),
      ),
    );
  });

  const provisioning = provisioningApi(() => backend.server, BOB);
  const api = provisioning.api;

  const ci = (body: object) =>
    api(
      'post',
      '/environments/pull-requests',
      mockCredentials.service.header(),
    ).send(body);

  const waitForState = (id: string, state: string) =>
    provisioning.waitForState(id, state, { idle: true, timeoutMs: 60_000 });

  const images = async (namespace: string) =>
    (await apps.listNamespacedDeployment({ namespace })).items.flatMap(d =>
      d.spec!.template.spec!.containers.map(c => c.image),
    );

  let templateId: string;

  it('offers the environment type with a documented form and a deploy action', async () => {
    const type = await provisioning.listedType('environment');
    expect(type).toMatchObject({
      catalogType: 'environment',
      parameters: {
        additionalProperties: false,
        properties: {
          size: { enum: ['small', 'medium', 'large'], default: 'small' },
          ttlHours: { minimum: 1, maximum: 168, default: 72 },
          expires: { default: true },
          seedDatabases: {
            type: 'boolean',
            title: 'Copy contents',
            default: false,
          },
        },
      },
    });
    expect(type.description).toMatch(/The request name is the namespace name/);
    expectDocumentedParameters(type);
    expect(type.actions.map((a: { id: string }) => a.id)).toEqual(['deploy']);
  });

  it('refuses reserved names, unknown sources and TTLs out of range with a 400 naming the field', async () => {
    const reserved = await api('post', '/requests').send({
      type: 'environment',
      name: 'team-checkout',
      owner: OWNER,
      parameters: {},
    });
    expect(reserved.status).toBe(400);
    expect(reserved.body.error.message).toMatch(/name: .*reserved for team/);

    const unknown = await api('post', '/requests').send({
      type: 'environment',
      name: `${RUN}-orphan`,
      owner: OWNER,
      parameters: { source: `${RUN}-nothing` },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/parameters\.source/);

    for (const ttlHours of [0, 169]) {
      const outOfRange = await api('post', '/requests').send({
        type: 'environment',
        name: `${RUN}-ttl`,
        owner: OWNER,
        parameters: { ttlHours },
      });
      expect(outOfRange.status).toBe(400);
      expect(outOfRange.body.error.message).toMatch(/parameters\.ttlHours/);
    }

    const unknownStage = await api('post', '/requests').send({
      type: 'environment',
      name: `${RUN}-stage`,
      owner: OWNER,
      parameters: { stage: 'prod' },
    });
    expect(unknownStage.status).toBe(400);
    expect(unknownStage.body.error.message).toMatch(/parameters\.stage/);
  });

  it('makes the template environment, ready once its Deployment runs', async () => {
    namespaces.add(TEMPLATE_ENV);
    const created = await api('post', '/requests').send({
      type: 'environment',
      name: TEMPLATE_ENV,
      owner: OWNER,
      parameters: { component: `component:default/${ORDERS}` },
    });
    expect(created.status).toBe(201);
    templateId = created.body.id;
    const ready = await waitForState(templateId, 'ready');
    expect(ready.outputs).toEqual({
      namespace: TEMPLATE_ENV,
      size: 'small',
      stage: 'development',
      catalogAnnotations: {
        'backstage.io/kubernetes-namespace': TEMPLATE_ENV,
        'backstage.io/kubernetes-label-selector': '!paved.dev/hidden',
      },
    });
    expect(ready.parameters).toMatchObject({
      size: 'small',
      stage: 'development',
      expires: true,
      ttlHours: 72,
    });

    await apps.createNamespacedDeployment({
      namespace: TEMPLATE_ENV,
      body: {
        metadata: { name: 'orders' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'orders' } },
          template: {
            metadata: { labels: { app: 'orders' } },
            spec: {
              containers: [
                { name: 'orders', image: 'registry.test/acme/orders:main' },
              ],
            },
          },
        },
      },
    });
    await core.createNamespacedSecret({
      namespace: TEMPLATE_ENV,
      body: { metadata: { name: 'orders-db' }, stringData: { password: 'x' } },
    });
    const status = await waitFor(
      'the status to show the Deployment',
      async () => {
        const response = await api('get', `/requests/${templateId}/status`);
        const workloads = response.body.sections?.find(
          (s: { title: string }) => s.title === 'Workloads',
        );
        return workloads?.table?.rows?.[0]?.[2] === '1/1'
          ? response.body
          : undefined;
      },
    );
    expect(status.sections.map((s: { title: string }) => s.title)).toEqual([
      'Quota and usage',
      'Workloads',
      'Pods',
    ]);
  });

  describe('pull-request environments', () => {
    const PR_ENV = `${ORDERS}-pr-7`;
    let prId: string;

    it('refuses bad bodies with a 400 naming the field, and unknown repositories with a 404', async () => {
      const cases: Array<[object, RegExp]> = [
        [
          { repository: `acme/${ORDERS}`, number: 7, action: 'opened' },
          /^Invalid request: imageTag: is required when action is opened$/,
        ],
        [
          { repository: `acme/${ORDERS}`, number: 0, action: 'closed' },
          /^Invalid request: number: must be at least 1$/,
        ],
        [
          { repository: `acme/${ORDERS}`, number: 1, action: 'merged' },
          /^Invalid request: action: must be one of/,
        ],
        [
          { number: 1, action: 'closed' },
          /^Invalid request: repository: is required$/,
        ],
        [
          {
            repository: `acme/${ORDERS}`,
            number: 1,
            action: 'opened',
            imageTag: 'a b',
          },
          /^Invalid request: imageTag: must be an image tag/,
        ],
      ];
      for (const [body, message] of cases) {
        const response = await ci(body);
        expect({ body, status: response.status }).toEqual({
          body,
          status: 400,
        });
        expect(response.body.error.message).toMatch(message);
      }
      const unknown = await ci({
        repository: 'acme/nothing-here',
        number: 1,
        action: 'opened',
        imageTag: 'abc',
      });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toMatch(/^repository: no component/);

      const anonymous = await request(backend.server)
        .post('/api/provisioning/environments/pull-requests')
        .set('authorization', mockCredentials.service.invalidHeader())
        .send({ repository: `acme/${ORDERS}`, number: 1, action: 'closed' });
      expect(anonymous.status).toBe(401);
    });

    it('opens: copies the template environment with the pull request image, once', async () => {
      namespaces.add(PR_ENV);
      const body = {
        repository: `https://github.com/acme/${ORDERS}.git`,
        number: 7,
        action: 'opened',
        imageTag: 'sha-1',
      };
      const first = await ci(body);
      expect(first.status).toBe(202);
      expect(first.body).toEqual({
        environment: PR_ENV,
        requestId: expect.any(String),
        changed: true,
      });
      prId = first.body.requestId;
      const again = await ci(body);
      expect(again.body).toEqual({
        environment: PR_ENV,
        requestId: prId,
        changed: false,
      });

      const ready = await waitForState(prId, 'ready');
      expect(ready).toMatchObject({
        owner: OWNER,
        parameters: {
          component: `component:default/${ORDERS}`,
          image: 'registry.test/acme/orders:sha-1',
          source: TEMPLATE_ENV,
          pullRequest: { repository: `acme/${ORDERS}`, number: 7 },
        },
        outputs: {
          namespace: PR_ENV,
          clonedFrom: TEMPLATE_ENV,
          clonedObjects: 1,
          image: 'registry.test/acme/orders:sha-1',
        },
      });
      expect(await images(PR_ENV)).toEqual(['registry.test/acme/orders:sha-1']);
      expect(
        (await core.listNamespacedSecret({ namespace: PR_ENV })).items,
      ).toEqual([]);
      const namespace = await core.readNamespace({ name: PR_ENV });
      expect(namespace.metadata?.annotations).toMatchObject({
        'backstage.io/kubernetes-id': ORDERS,
      });
      // Opening again (a re-run of the CI job) changes nothing.
      expect((await ci(body)).body.changed).toBe(false);
    });

    it('synchronizes: deploys the new build, once', async () => {
      const body = {
        repository: `acme/${ORDERS}`,
        number: 7,
        action: 'synchronize',
        imageTag: 'sha-2',
      };
      const first = await ci(body);
      expect(first.status).toBe(202);
      expect(first.body).toEqual({
        environment: PR_ENV,
        requestId: prId,
        changed: true,
      });
      expect((await ci(body)).body).toEqual({
        environment: PR_ENV,
        requestId: prId,
        changed: false,
      });
      const done = await waitForState(prId, 'ready');
      expect(done.outputs.image).toBe('registry.test/acme/orders:sha-2');
      expect(await images(PR_ENV)).toEqual(['registry.test/acme/orders:sha-2']);
      expect((await ci(body)).body.changed).toBe(false);
    });

    it('closes: deletes the environment and its namespace, once', async () => {
      const body = {
        repository: `acme/${ORDERS}`,
        number: 7,
        action: 'closed',
      };
      const first = await ci(body);
      expect(first.status).toBe(202);
      expect(first.body).toEqual({
        environment: PR_ENV,
        requestId: prId,
        changed: true,
      });
      expect((await ci(body)).body.changed).toBe(false);
      await waitForState(prId, 'deleted');
      const code = await core.readNamespace({ name: PR_ENV }).then(
        () => 200,
        error => statusCodeOf(error),
      );
      expect(code).toBe(404);
      expect((await ci(body)).body.changed).toBe(false);
    });

    it('finds a component by its location, and starts empty without a template', async () => {
      const env = `${WEB}-pr-3`;
      namespaces.add(env);
      const opened = await ci({
        repository: `acme/${WEB}`,
        number: 3,
        action: 'opened',
        imageTag: 'v1',
      });
      expect(opened.body).toMatchObject({ environment: env, changed: true });
      const ready = await waitForState(opened.body.requestId, 'ready');
      expect(ready.parameters.image).toBe(`${WEB}:v1`);
      expect(ready.parameters.source).toBeUndefined();
      expect(ready.outputs).toEqual({
        namespace: env,
        size: 'small',
        stage: 'development',
        image: `${WEB}:v1`,
        catalogAnnotations: {
          'backstage.io/kubernetes-namespace': env,
          'backstage.io/kubernetes-label-selector': '!paved.dev/hidden',
        },
      });
      await api('delete', `/requests/${opened.body.requestId}`);
      await waitForState(opened.body.requestId, 'deleted');
    });
  });

  it('deletes the template environment and waits for its namespace to be gone', async () => {
    const response = await api('delete', `/requests/${templateId}`);
    expect(response.status).toBe(202);
    await waitForState(templateId, 'deleted');
    const code = await core.readNamespace({ name: TEMPLATE_ENV }).then(
      () => 200,
      error => statusCodeOf(error),
    );
    expect(code).toBe(404);
  });
});

describe('the module without provisioning.environments', () => {
  it('registers no type and no endpoint', async () => {
    const backend = await startProvisioningBackend({
      features: [
        provisioningPlugin,
        provisioningModuleEnvironments,
        catalogServiceMock.factory({ entities: [] }),
      ],
      config: {},
    });
    try {
      const { listedType } = provisioningApi(() => backend.server, BOB);
      expect(await listedType('environment')).toBeUndefined();
      const endpoint = await request(backend.server)
        .post('/api/provisioning/environments/pull-requests')
        .set('authorization', mockCredentials.service.header())
        .send({ repository: 'acme/orders', number: 1, action: 'closed' });
      expect(endpoint.status).toBe(404);
    } finally {
      await backend.stop();
    }
  });
});

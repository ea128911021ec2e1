/*
 * The runbook templates of templates/runbooks as real scaffolder tasks: the
 * authorize step (owners and admins only, one run at a time), the Kubernetes fixes
 * against the real local control plane, and the self-service day-2 actions through
 * the real provisioning plugin. Needs what ./paved test starts.
 */
import request from 'supertest';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  createTemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import { AppsV1Api } from '@kubernetes/client-node';
import {
  createTestNamespace,
  requireTestCluster,
  TestNamespace,
} from '@paved/kube-test-utils';
import { waitFor } from '@paved/test-utils';
import {
  createReadyDeployment,
  deployment,
  portalKubernetes,
} from './__testUtils__/deployments';
import {
  dayTwoCalls,
  readRunbook,
  startRunbookBackend,
} from './__testUtils__/runbookBackend';

jest.setTimeout(180_000);

const RUNBOOKS = [
  'restart-deployment',
  'scale-deployment',
  'rollback-deployment',
  'collect-diagnostics',
  'rotate-database-credentials',
  'terminate-long-queries',
  'extend-environment',
  'deploy-version',
  'rollback-workload',
];

/** What the stand-in deployments actions were asked, as which user. */
const deploymentCalls: Array<{ action: string; user?: string; input: object }> =
  [];

/**
 * Stand-ins for `paved:deploy` and `paved:deploy:rollback` (the paved scaffolder
 * module's, tested there against the deployments API): they record what the
 * deployments runbooks pass them and answer as the real ones do when the rollout
 * succeeded.
 */
const deploymentActions = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'deployments-stand-in',
  register(reg) {
    reg.registerInit({
      deps: { scaffolder: scaffolderActionsExtensionPoint },
      async init({ scaffolder }) {
        for (const id of ['paved:deploy', 'paved:deploy:rollback']) {
          scaffolder.addActions(
            createTemplateAction({
              id,
              schema: {
                input: {
                  component: z => z.string(),
                  environment: z => z.string(),
                  image: z => z.string().optional(),
                  gitRef: z => z.string().optional(),
                  newestWorkload: z => z.boolean().optional(),
                },
              },
              async handler(ctx) {
                deploymentCalls.push({
                  action: id,
                  user: ctx.user?.ref,
                  input: ctx.input,
                });
                ctx.output('requestId', 'workload-1');
                ctx.output('requestUrl', '/self-service/requests/workload-1');
                ctx.output('status', 'succeeded');
              },
            }),
          );
        }
      },
    });
  },
});

/** A runbook that holds its run for a while, to test concurrent runs. */
const slowRunbook: Entity = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'slow-runbook', namespace: 'default' },
  spec: {
    type: 'runbook',
    owner: 'group:default/platform-team',
    parameters: [
      {
        required: ['entityRef'],
        properties: { entityRef: { type: 'string' } },
      },
    ],
    steps: [
      {
        id: 'authorize',
        action: 'paved:runbook:authorize',
        input: { entityRef: '${{ parameters.entityRef }}' },
      },
      { id: 'wait', action: 'debug:wait', input: { seconds: 4 } },
    ],
  },
};

describe('the runbook templates', () => {
  const cluster = requireTestCluster();
  const apps = cluster.kubeConfig.makeApiClient(AppsV1Api);
  let ns: TestNamespace;
  let harness: Awaited<ReturnType<typeof startRunbookBackend>>;
  const ORDERS = 'component:default/orders-api';

  beforeAll(async () => {
    ns = await createTestNamespace(cluster.kubeConfig, 'runbook-templates');
    const component: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'orders-api',
        namespace: 'default',
        annotations: {
          'backstage.io/kubernetes-id': 'orders-api',
          'backstage.io/kubernetes-namespace': ns.name,
        },
      },
      spec: {
        type: 'service',
        owner: 'group:default/checkout-team',
        lifecycle: 'production',
      },
      relations: [
        { type: 'ownedBy', targetRef: 'group:default/checkout-team' },
      ],
    };
    harness = await startRunbookBackend({
      entities: [component, slowRunbook, ...RUNBOOKS.map(readRunbook)],
      features: [deploymentActions],
      config: {
        paved: {
          permissions: { adminGroups: ['group:default/platform-team'] },
          runbooks: {
            maxReplicas: 5,
            kubernetes: { kubeconfigPath: cluster.portalKubeconfigPath },
          },
        },
      },
    });
    await createReadyDeployment(
      cluster,
      deployment(ns.name, 'orders-api', { replicas: 2 }),
    );
  });
  afterAll(async () => {
    await harness?.backend.stop();
    await ns?.cleanup();
  });

  it('restarts the component as its owner, and says how long it took', async () => {
    const before = await apps.readNamespacedDeployment({
      namespace: ns.name,
      name: 'orders-api',
    });
    const started = Date.now();
    const { status, log } = await harness.run(
      'user:default/bob',
      'restart-deployment',
      { entityRef: ORDERS, confirm: true },
    );
    // eslint-disable-next-line no-console
    console.log(
      `restart-deployment, Run to completed: ${Date.now() - started} ms`,
    );
    expect(`${status}\n${log}`).toMatch(/^completed\n/);
    expect(log).toContain('user:default/bob may run this runbook on');
    expect(log).toMatch(/restarted: ReplicaSet orders-api-\w+ is ready/);
    const sets = await portalKubernetes(cluster).replicaSetsOf(before);
    expect(sets).toHaveLength(2);
  });

  it('dry-runs a restart through the scaffolder without changing the deployment', async () => {
    const read = () =>
      apps.readNamespacedDeployment({ namespace: ns.name, name: 'orders-api' });
    const before = await read();
    const response = await request(harness.backend.server)
      .post('/api/scaffolder/v2/dry-run')
      .set('authorization', harness.as('user:default/bob'))
      .send({
        template: readRunbook('restart-deployment'),
        values: { entityRef: ORDERS, confirm: true },
        directoryContents: [],
      });
    expect(response.status).toBe(200);
    const log = response.body.log
      .map((e: { body: { message?: string } }) => e.body.message)
      .join('\n');
    expect(log).toMatch(
      /Dry run: would restart deployment .*\/orders-api, changing spec\.template\.metadata\.annotations\.kubectl\.kubernetes\.io\/restartedAt: /,
    );
    const after = await read();
    expect(after.metadata?.resourceVersion).toBe(
      before.metadata?.resourceVersion,
    );
  });

  it("refuses another team's user, and changes nothing", async () => {
    const { status, log } = await harness.run(
      'user:default/eve',
      'scale-deployment',
      { entityRef: ORDERS, replicas: 3, confirm: true },
    );
    expect(status).toBe('failed');
    expect(log).toContain(
      'user:default/eve may not run runbooks on component:default/orders-api: it is owned by group:default/checkout-team',
    );
    const d = await apps.readNamespacedDeployment({
      namespace: ns.name,
      name: 'orders-api',
    });
    expect(d.spec?.replicas).toBe(2);
  });

  it('lets a platform admin scale, and refuses more than the limit', async () => {
    const scaled = await harness.run('user:default/alice', 'scale-deployment', {
      entityRef: ORDERS,
      replicas: 3,
      confirm: true,
    });
    expect(`${scaled.status}\n${scaled.log}`).toMatch(/^completed\n/);
    const refused = await harness.run('user:default/bob', 'scale-deployment', {
      entityRef: ORDERS,
      replicas: 6,
      confirm: true,
    });
    expect(refused.status).toBe('failed');
    expect(refused.log).toContain(
      `replicas must be between 1 and 5 for deployment ${ns.name}/orders-api; got 6`,
    );
  });

  it('refuses a second run of the same runbook on the same entity while the first runs', async () => {
    const first = await harness.start('user:default/bob', 'slow-runbook', {
      entityRef: ORDERS,
    });
    await waitFor('the first run to pass authorize', async () => {
      const response = await request(harness.backend.server)
        .get(`/api/scaffolder/v2/tasks/${first}/events`)
        .set('authorization', harness.as('user:default/bob'));
      return response.body.some((e: { body: { message?: string } }) =>
        /may run this runbook/.test(e.body.message ?? ''),
      );
    });
    const second = await harness.run('user:default/bob', 'slow-runbook', {
      entityRef: ORDERS,
    });
    expect(second.status).toBe('failed');
    expect(second.log).toContain(
      `runbook slow-runbook is already running on component:default/orders-api (task ${first})`,
    );
    expect((await harness.finished('user:default/bob', first)).status).toBe(
      'completed',
    );
  });

  it('lets exactly one of two runs started together go on', async () => {
    const ids = await Promise.all(
      ['user:default/bob', 'user:default/alice'].map(user =>
        harness.start(user, 'slow-runbook', { entityRef: ORDERS }),
      ),
    );
    const results = await Promise.all(
      ids.map(id => harness.finished('user:default/bob', id)),
    );
    expect(results.map(r => r.status).sort()).toEqual(['completed', 'failed']);
    const refused = results.find(r => r.status === 'failed')!;
    const winner = ids[results.findIndex(r => r.status === 'completed')];
    expect(refused.log).toContain(
      `is already running on ${ORDERS} (task ${winner})`,
    );
  });

  it('collects diagnostics of the component', async () => {
    const { status, log, output } = await harness.run(
      'user:default/bob',
      'collect-diagnostics',
      { entityRef: ORDERS },
    );
    expect(`${status}\n${log}`).toMatch(/^completed\n/);
    expect(log).toContain(`Diagnostics of ${ORDERS} in namespace ${ns.name}`);
    expect(log).toMatch(/ScalingReplicaSet Deployment\/orders-api/);
    expect(output.links).toEqual([
      expect.objectContaining({ entityRef: ORDERS }),
      expect.objectContaining({
        url: '/catalog/default/component/orders-api/kubernetes',
      }),
      expect.objectContaining({
        url: '/docs/default/component/paved-portal/runbooks/#collect-diagnostics',
      }),
    ]);
  });

  describe('deployments of the Score workload', () => {
    beforeEach(() => {
      deploymentCalls.length = 0;
    });

    it('deploys a version of the newest workload as the owner, and links the request', async () => {
      const { status, log, output } = await harness.run(
        'user:default/bob',
        'deploy-version',
        {
          entityRef: ORDERS,
          environment: 'orders-api-dev',
          image: 'ghcr.io/acme/orders-api:1.4.2',
          gitRef: 'a1b2c3d',
        },
      );
      expect(`${status}\n${log}`).toMatch(/^completed\n/);
      expect(deploymentCalls).toEqual([
        {
          action: 'paved:deploy',
          user: 'user:default/bob',
          input: {
            component: ORDERS,
            environment: 'orders-api-dev',
            image: 'ghcr.io/acme/orders-api:1.4.2',
            gitRef: 'a1b2c3d',
            newestWorkload: true,
          },
        },
      ]);
      expect(output.links).toEqual([
        expect.objectContaining({ url: '/self-service/requests/workload-1' }),
        expect.objectContaining({
          url: '/catalog/default/component/orders-api/deployments',
        }),
        expect.objectContaining({
          url: '/docs/default/component/paved-portal/runbooks/#deploy-version',
        }),
      ]);
    });

    it("rolls back as the owner, and refuses another team's user before anything runs", async () => {
      const refused = await harness.run(
        'user:default/eve',
        'rollback-workload',
        { entityRef: ORDERS, environment: 'orders-api-dev', confirm: true },
      );
      expect(refused.status).toBe('failed');
      expect(refused.log).toContain(
        'user:default/eve may not run runbooks on component:default/orders-api',
      );
      expect(deploymentCalls).toEqual([]);

      const { status, log, output } = await harness.run(
        'user:default/bob',
        'rollback-workload',
        { entityRef: ORDERS, environment: 'orders-api-dev', confirm: true },
      );
      expect(`${status}\n${log}`).toMatch(/^completed\n/);
      expect(deploymentCalls).toEqual([
        {
          action: 'paved:deploy:rollback',
          user: 'user:default/bob',
          input: { component: ORDERS, environment: 'orders-api-dev' },
        },
      ]);
      expect(output.links).toEqual([
        expect.objectContaining({ url: '/self-service/requests/workload-1' }),
        expect.objectContaining({
          url: '/docs/default/component/paved-portal/runbooks/#rollback-workload',
        }),
      ]);
    });
  });

  describe('self-service day-2 actions', () => {
    const file = async (type: string, name: string) => {
      const created = await request(harness.backend.server)
        .post('/api/provisioning/requests')
        .set('authorization', harness.as('user:default/bob'))
        .send({
          type,
          name,
          owner: 'group:default/checkout-team',
          parameters: { component: ORDERS },
        });
      expect(created.status).toBe(201);
      return waitFor(`${name} to be ready`, async () => {
        const r = await request(harness.backend.server)
          .get(`/api/provisioning/requests/${created.body.id}`)
          .set('authorization', harness.as('user:default/bob'));
        return r.body.state === 'ready' ? r.body : undefined;
      });
    };

    it('rotates credentials and ends long queries once per step, following the operation', async () => {
      await file('postgres', 'orders-db');
      const rotated = await harness.run(
        'user:default/bob',
        'rotate-database-credentials',
        { entityRef: ORDERS, database: 'orders-db', confirm: true },
      );
      expect(`${rotated.status}\n${rotated.log}`).toMatch(/^completed\n/);
      expect(rotated.log).toContain('The credentials of orders-db are rotated');
      const ended = await harness.run(
        'user:default/bob',
        'terminate-long-queries',
        {
          entityRef: ORDERS,
          database: 'orders-db',
          olderThanSeconds: 120,
          confirm: true,
        },
      );
      expect(`${ended.status}\n${ended.log}`).toMatch(/^completed\n/);
      expect(ended.log).toContain(
        'Ended 2 session(s) of orders-db running a query for more than 120 s',
      );
      expect(dayTwoCalls).toEqual([
        { action: 'rotate-credentials', name: 'orders-db', input: {} },
        {
          action: 'terminate-queries',
          name: 'orders-db',
          input: { olderThanSeconds: 120 },
        },
      ]);
    });

    it('names a database that does not exist', async () => {
      const { status, log } = await harness.run(
        'user:default/bob',
        'rotate-database-credentials',
        { entityRef: ORDERS, database: 'no-such-db', confirm: true },
      );
      expect(status).toBe('failed');
      expect(log).toContain(
        "Unable to find a postgres named 'no-such-db' in self-service",
      );
    });

    it('extends an environment, within its limit', async () => {
      const env = await file('environment', 'orders-feature-x');
      const { status, log } = await harness.run(
        'user:default/bob',
        'extend-environment',
        { entityRef: ORDERS, environment: 'orders-feature-x', hours: 48 },
      );
      expect(`${status}\n${log}`).toMatch(/^completed\n/);
      const after = await request(harness.backend.server)
        .get(`/api/provisioning/requests/${env.id}`)
        .set('authorization', harness.as('user:default/bob'));
      const hours = (Date.parse(after.body.expiresAt) - Date.now()) / 3_600_000;
      expect(hours).toBeGreaterThan(47);
      expect(hours).toBeLessThanOrEqual(48);
      const beyond = await harness.run(
        'user:default/bob',
        'extend-environment',
        { entityRef: ORDERS, environment: 'orders-feature-x', hours: 100 },
      );
      expect(beyond.status).toBe('failed');
      expect(beyond.log).toMatch(/hours: must be at most 72/);
    });
  });
});

import { mockCredentials } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JsonObject } from '@backstage/types';
import {
  ProvisioningOperation,
  ProvisioningRequest,
} from '@paved/plugin-provisioning-common';
import { DeployBody } from '@paved/plugin-deployments-common';
import { Incident } from '@paved/plugin-incidents-common';
import { memoryDeploymentStore } from '../__testUtils__/memoryDeploymentStore';
import { DeploymentService } from './DeploymentService';
import { DeploymentsProvisioning } from './DeploymentsProvisioning';

const ORDERS = 'component:default/orders';
const WORKLOAD: JsonObject = {
  apiVersion: 'score.dev/v1b1',
  metadata: { name: 'orders' },
  containers: { main: { image: '.' } },
};

function request(
  fields: Partial<ProvisioningRequest> & { type: string; name: string },
): ProvisioningRequest {
  return {
    id: `${fields.type}-${fields.name}`,
    owner: 'group:default/team-a',
    parameters: {},
    state: 'ready',
    outputs: {},
    createdBy: 'user:default/alice',
    createdAt: '2026-12-01T00:00:00Z',
    updatedAt: '2026-12-01T00:00:00Z',
    ...fields,
  };
}

/** The provisioning API as a list of requests, remembering what it was asked. */
function fakeProvisioning(requests: ProvisioningRequest[]) {
  const calls: Array<{ call: string; args: unknown[] }> = [];
  let operations = 0;
  const provisioning: DeploymentsProvisioning & {
    calls: typeof calls;
    busy?: boolean;
    /** Actions are held for an approval, as the deploy action is in production. */
    approvals?: boolean;
  } = {
    calls,
    async findRequest(type, name, ...rest) {
      calls.push({ call: 'findRequest', args: [type, name, ...rest] });
      return requests.find(r => r.type === type && r.name === name);
    },
    async listRequests(query) {
      return requests.filter(
        r => r.type === query.type && (!query.owner || r.owner === query.owner),
      );
    },
    async createRequest(body, credentials) {
      calls.push({ call: 'createRequest', args: [body, credentials] });
      const created = request({
        ...body,
        state: 'provisioning',
        activeOperation: { id: 'op-provision' } as ProvisioningOperation,
      });
      requests.push(created);
      return created;
    },
    async runAction(id, action, body, credentials) {
      calls.push({ call: 'runAction', args: [id, action, body, credentials] });
      if (provisioning.busy) {
        throw new ConflictError(
          `Request ${id} is updating; actions run only on ready requests`,
        );
      }
      operations += 1;
      return {
        id: `op-${operations}`,
        requestId: id,
        status: provisioning.approvals ? 'pending-approval' : 'queued',
      } as ProvisioningOperation;
    },
  };
  return provisioning;
}

function setup(
  options: { requests?: ProvisioningRequest[]; incidents?: Incident[] } = {},
) {
  const store = memoryDeploymentStore();
  const provisioning = fakeProvisioning(
    options.requests ?? [
      request({ type: 'environment', name: 'orders-dev' }),
      request({
        type: 'environment',
        name: 'orders-staging',
        outputs: { stage: 'staging' },
      }),
      request({
        type: 'environment',
        name: 'orders-prod',
        outputs: { stage: 'production' },
      }),
    ],
  );
  const incidentQueries: unknown[] = [];
  const service = new DeploymentService({
    catalog: catalogServiceMock({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'orders', namespace: 'default' },
          spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
        },
      ],
    }),
    store,
    provisioning,
    incidents: {
      async list(query) {
        incidentQueries.push(query);
        return options.incidents ?? [];
      },
    },
    failureWindowHours: 24,
    now: () => new Date('2026-12-07T12:00:00Z'),
  });
  return { service, store, provisioning, incidentQueries };
}

const alice = mockCredentials.user('user:default/alice');

/** A deploy of the orders workload, as alice: image i:1 to orders-dev unless told. */
function deploy(service: DeploymentService, fields: Partial<DeployBody> = {}) {
  return service.deploy(
    {
      component: ORDERS,
      environment: 'orders-dev',
      image: 'i:1',
      workload: WORKLOAD,
      ...fields,
    },
    alice,
  );
}

async function recorded(
  store: ReturnType<typeof memoryDeploymentStore>,
  fields: {
    environment: string;
    image: string;
    stage?: 'development' | 'staging' | 'production';
    status?: 'succeeded' | 'failed';
    startedAt: string;
    gitRef?: string;
    commitTime?: string;
    spec?: JsonObject;
    requestId?: string;
  },
) {
  const record = await store.start({
    component: ORDERS,
    owner: 'group:default/team-a',
    workload: 'orders',
    kind: 'deploy',
    createdBy: 'user:default/alice',
    stage: 'development',
    spec: WORKLOAD,
    ...fields,
  });
  await store.finish(record.id, {
    status: fields.status ?? 'succeeded',
    finishedAt: new Date(Date.parse(fields.startedAt) + 60_000).toISOString(),
  });
  return record;
}

describe('DeploymentService.deploy', () => {
  it('makes the workload request of a first deployment, as the caller', async () => {
    const { service, provisioning } = setup();
    const accepted = await service.deploy(
      {
        component: 'orders',
        environment: 'orders-dev',
        image: 'ghcr.io/acme/orders:1.0.0',
        gitRef: 'abc123',
        commitTime: '2026-12-07T10:00:00Z',
        workload: WORKLOAD,
      },
      alice,
    );
    expect(accepted).toEqual({
      requestId: 'workload-orders-dev-orders',
      operationId: 'op-provision',
      state: 'provisioning',
    });
    const create = provisioning.calls.find(c => c.call === 'createRequest')!;
    expect(create.args).toEqual([
      {
        type: 'workload',
        name: 'orders-dev-orders',
        owner: 'group:default/team-a',
        parameters: {
          component: ORDERS,
          environmentName: 'orders-dev',
          image: 'ghcr.io/acme/orders:1.0.0',
          gitRef: 'abc123',
          commitTime: '2026-12-07T10:00:00Z',
          workload: WORKLOAD,
          kind: 'deploy',
        },
      },
      alice,
    ]);
  });

  it('runs the deploy action of an existing request, one operation per repeated call', async () => {
    const { service, provisioning, store } = setup();
    provisioning.calls.length = 0;
    await deploy(service);
    await recorded(store, {
      environment: 'orders-dev',
      image: 'i:1',
      startedAt: '2026-12-07T11:00:00Z',
    });
    const again = {
      component: ORDERS,
      environment: 'orders-dev',
      image: 'i:2',
    };
    const first = await service.deploy(again, alice);
    const second = await service.deploy(again, alice);
    expect(first).toEqual({
      requestId: 'workload-orders-dev-orders',
      operationId: 'op-1',
      state: 'updating',
    });
    const keys = provisioning.calls
      .filter(c => c.call === 'runAction')
      .map(c => c.args[2] as { idempotencyKey: string; input: JsonObject });
    expect(second.operationId).toBe('op-2');
    expect(keys[0].idempotencyKey).toBe(keys[1].idempotencyKey);
    // The workload defaults to the newest deployment's.
    expect(keys[0].input).toEqual({
      image: 'i:2',
      workload: WORKLOAD,
      kind: 'deploy',
    });

    // The same version again after another one is a new deployment.
    await recorded(store, {
      environment: 'orders-dev',
      image: 'i:2',
      startedAt: '2026-12-07T11:10:00Z',
    });
    await service.deploy({ ...again, image: 'i:1' }, alice);
    await recorded(store, {
      environment: 'orders-dev',
      image: 'i:1',
      startedAt: '2026-12-07T11:20:00Z',
    });
    await service.deploy(again, alice);
    const later = provisioning.calls
      .filter(c => c.call === 'runAction')
      .map(c => (c.args[2] as { idempotencyKey: string }).idempotencyKey);
    expect(new Set(later).size).toBe(3);
  });

  it('answers pending-approval for a deploy held for an approval, not ready', async () => {
    const { service, provisioning } = setup();
    const first = {
      component: ORDERS,
      environment: 'orders-prod',
      image: 'i:1',
      workload: WORKLOAD,
    };
    await service.deploy(first, alice);
    provisioning.approvals = true;
    expect(await service.deploy({ ...first, image: 'i:2' }, alice)).toEqual({
      requestId: 'workload-orders-prod-orders',
      operationId: 'op-1',
      state: 'pending-approval',
    });
  });

  it('passes the provisioning API’s 409 for a busy workload through', async () => {
    const { service, provisioning } = setup();
    await deploy(service);
    provisioning.busy = true;
    await expect(deploy(service, { image: 'i:2' })).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('is updating'),
    });
  });

  it('names the field of what it cannot find', async () => {
    const { service } = setup();
    await expect(
      deploy(service, { component: 'nope', image: 'i' }),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringMatching(/^component: .*component:default\/nope/),
    });
    await expect(
      service.deploy(
        { component: 'group:default/x', environment: 'orders-dev', image: 'i' },
        alice,
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('component: '),
    });
    await expect(
      deploy(service, { environment: 'elsewhere', image: 'i' }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        "environment: there is no environment 'elsewhere'",
      ),
    });
    await expect(
      service.deploy(
        { component: ORDERS, environment: 'orders-dev', image: 'i' },
        alice,
      ),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        "workload: is required for a component's first deployment",
      ),
    });
    await expect(
      deploy(service, { image: 'i', workload: { metadata: {} } }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('workload.metadata.name: is required'),
    });
  });
});

describe('DeploymentService.promote and rollback', () => {
  it('deploys what runs in one environment to another, as a promotion', async () => {
    const { service, store, provisioning } = setup();
    const source = await recorded(store, {
      environment: 'orders-staging',
      stage: 'staging',
      image: 'i:7',
      gitRef: 'abc',
      commitTime: '2026-12-07T08:00:00Z',
      startedAt: '2026-12-07T09:00:00Z',
    });
    await recorded(store, {
      environment: 'orders-staging',
      stage: 'staging',
      image: 'i:8',
      status: 'failed',
      startedAt: '2026-12-07T10:00:00Z',
    });
    await service.promote(
      { component: 'orders', from: 'orders-staging', to: 'orders-prod' },
      alice,
    );
    const create = provisioning.calls.find(c => c.call === 'createRequest')!;
    expect((create.args[0] as { parameters: JsonObject }).parameters).toEqual({
      component: ORDERS,
      environmentName: 'orders-prod',
      image: 'i:7',
      gitRef: 'abc',
      commitTime: expect.stringMatching(/^2026-12-07T08:00:00/),
      workload: WORKLOAD,
      kind: 'promotion',
      promotedFrom: source.id,
    });
    await expect(
      service.promote(
        { component: 'orders', from: 'orders-dev', to: 'orders-prod' },
        alice,
      ),
    ).rejects.toMatchObject({
      message: expect.stringContaining('from: nothing of'),
    });
    await expect(
      service.promote(
        { component: 'orders', from: 'orders-dev', to: 'orders-dev' },
        alice,
      ),
    ).rejects.toMatchObject({
      message: expect.stringContaining('to: must be another'),
    });
  });

  it('runs the rollback action once per newest deployment', async () => {
    const { service, store, provisioning } = setup();
    await expect(
      service.rollback({ component: ORDERS, environment: 'orders-dev' }, alice),
    ).rejects.toMatchObject({
      message: expect.stringContaining('environment: '),
    });
    await deploy(service);
    await recorded(store, {
      environment: 'orders-dev',
      image: 'i:1',
      startedAt: '2026-12-07T11:00:00Z',
    });
    // One successful deployment (and a failed one after it): nothing to go back to,
    // refused before any action runs.
    await recorded(store, {
      environment: 'orders-dev',
      image: 'i:2',
      status: 'failed',
      startedAt: '2026-12-07T11:05:00Z',
    });
    await expect(
      service.rollback({ component: ORDERS, environment: 'orders-dev' }, alice),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        'Invalid request: environment: orders-dev has no earlier successful deployment of component:default/orders to roll back to',
    });
    expect(provisioning.calls.filter(c => c.call === 'runAction')).toEqual([]);
    const failed = store.records.find(r => r.status === 'failed')!;
    await expect(
      service.rollback(
        { component: ORDERS, environment: 'orders-dev', to: failed.id },
        alice,
      ),
    ).rejects.toMatchObject({
      message: expect.stringContaining(
        `to: deployment '${failed.id}' did not succeed (failed)`,
      ),
    });
    await recorded(store, {
      environment: 'orders-dev',
      image: 'i:3',
      startedAt: '2026-12-07T11:10:00Z',
    });
    await service.rollback(
      { component: ORDERS, environment: 'orders-dev' },
      alice,
    );
    await service.rollback(
      { component: ORDERS, environment: 'orders-dev' },
      alice,
    );
    const actions = provisioning.calls.filter(c => c.call === 'runAction');
    expect(actions.map(c => c.args.slice(0, 2))).toEqual([
      ['workload-orders-dev-orders', 'rollback'],
      ['workload-orders-dev-orders', 'rollback'],
    ]);
    expect(actions[0].args[2]).toEqual(actions[1].args[2]);
    await expect(
      service.rollback(
        { component: ORDERS, environment: 'orders-dev', to: 'nope' },
        alice,
      ),
    ).rejects.toMatchObject({ message: expect.stringContaining('to: ') });
  });
});

describe('DeploymentService.list', () => {
  it('finds records whatever the case of the component or owner ref', async () => {
    const { service, store } = setup();
    const started = await store.start({
      component: 'component:default/Orders',
      owner: 'group:default/Team-A',
      environment: 'orders-dev',
      stage: 'development',
      workload: 'orders',
      kind: 'deploy',
      image: 'i:1',
      createdBy: 'user:default/alice',
      spec: WORKLOAD,
    });
    expect(started).toMatchObject({
      component: ORDERS,
      owner: 'group:default/team-a',
    });
    for (const filter of [
      { component: 'Orders' },
      { component: 'Component:default/ORDERS' },
      { owner: 'Team-A' },
      { owner: 'group:default/team-a' },
    ]) {
      expect((await service.list(filter)).map(r => r.id)).toEqual([started.id]);
    }
  });
});

describe('DeploymentService.environments', () => {
  it('tells what runs where, and where to promote to', async () => {
    const { service, store } = setup();
    await deploy(service);
    const good = await recorded(store, {
      environment: 'orders-dev',
      image: 'i:1',
      startedAt: '2026-12-07T09:00:00Z',
    });
    const bad = await recorded(store, {
      environment: 'orders-dev',
      image: 'i:2',
      status: 'failed',
      startedAt: '2026-12-07T10:00:00Z',
    });
    await recorded(store, {
      environment: 'orders-staging',
      stage: 'staging',
      image: 'i:1',
      startedAt: '2026-12-07T09:30:00Z',
    });
    const environments = await service.environments('orders', alice);
    expect(environments).toEqual([
      expect.objectContaining({
        environment: 'orders-dev',
        stage: 'development',
        requestId: 'workload-orders-dev-orders',
        state: 'provisioning',
        current: expect.objectContaining({ id: good.id }),
        latest: expect.objectContaining({ id: bad.id }),
        next: 'orders-staging',
      }),
      expect.objectContaining({
        environment: 'orders-staging',
        stage: 'staging',
        latest: undefined,
        next: undefined,
      }),
    ]);
    await expect(service.environments('nope', alice)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it("lists the component's own environments with nothing deployed yet, as where to promote to", async () => {
    const { service } = setup({
      requests: [
        request({ type: 'environment', name: 'orders-dev' }),
        // Made for the component (its `component` parameter), not deployed to
        // yet, by another team (the platform team's QA).
        request({
          type: 'environment',
          name: 'orders-qa',
          owner: 'group:default/platform-team',
          parameters: { component: 'component:default/orders' },
          outputs: { stage: 'staging' },
        }),
        // Another component's staging environment is not a place to promote to.
        request({
          type: 'environment',
          name: 'billing-staging',
          parameters: { component: 'component:default/billing' },
          outputs: { stage: 'staging' },
        }),
      ],
    });
    await deploy(service);
    const environments = await service.environments('orders', alice);
    expect(environments.map(e => [e.environment, e.stage, e.next])).toEqual([
      ['orders-dev', 'development', 'orders-qa'],
      ['orders-qa', 'staging', undefined],
    ]);
  });
});

describe('DeploymentService.dora', () => {
  it('reports on production records and the incidents of the period', async () => {
    const { service, store, incidentQueries } = setup();
    await recorded(store, {
      environment: 'orders-prod',
      stage: 'production',
      image: 'i:1',
      commitTime: '2026-12-06T10:00:00Z',
      startedAt: '2026-12-06T12:00:00Z',
    });
    await recorded(store, {
      environment: 'orders-dev',
      image: 'i:1',
      startedAt: '2026-12-06T11:00:00Z',
    });
    const report = await service.dora({ component: 'orders', weeks: 4 });
    expect(report).toMatchObject({
      scope: ORDERS,
      to: '2026-12-07T12:00:00.000Z',
      from: '2026-11-09T12:00:00.000Z',
      failureWindowHours: 24,
    });
    expect(report.overall.deployments).toBe(1);
    expect(incidentQueries).toEqual([
      {
        entityRef: ORDERS,
        owner: undefined,
        since: '2026-11-09T12:00:00.000Z',
      },
    ]);
    await expect(
      service.dora({ component: 'orders', owner: 'team-a', weeks: 4 }),
    ).rejects.toMatchObject({ message: expect.stringContaining('owner: ') });
    expect((await service.dora({ weeks: 1 })).scope).toBe('organisation');
    expect((await service.dora({ owner: 'team-a', weeks: 1 })).scope).toBe(
      'group:default/team-a',
    );
  });
});

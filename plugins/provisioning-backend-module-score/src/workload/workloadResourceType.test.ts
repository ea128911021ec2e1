import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import {
  inMemoryRequestLookup,
  NonRetryableError,
  ReferencedRequest,
  ResourceType,
  resourceTypeLookup,
  StepContext,
} from '@paved/plugin-provisioning-node';
import {
  actionContext,
  directStepContext,
  storedRequest,
} from '@paved/test-utils';
import { DEFAULT_WORKLOAD_DEFAULTS } from '../render';
import { DatabaseDeploymentStore } from '../database/DatabaseDeploymentStore';
import { RolloutFailedError } from '../rollout';
import { ProvisioningApiError } from '@paved/plugin-provisioning-backend-module-environments';
import { scoreResourceRequestName } from './names';
import { WorkloadParameters } from './parameters';
import { WorkloadCluster } from './WorkloadCluster';
import { createWorkloadResourceType } from './workloadResourceType';

const OWNER = 'group:default/payments-team';
const ENV = 'orders-dev';
const DB_REQUEST = scoreResourceRequestName({
  workload: 'orders',
  environment: ENV,
  resource: 'db',
});

/** The claims the database type was given, params as it received them. */
const claims: JsonObject[] = [];

/** A database type that provides Score's `postgres`, as the postgres module declares it. */
const databaseType: ResourceType = {
  id: 'postgres',
  title: 'Database',
  description: 'A stand-in',
  parameters: { type: 'object' },
  environmentCopy: {},
  score: {
    types: ['postgres'],
    parameters: claim => {
      claims.push({ ...(claim.params ? { params: claim.params } : {}) });
      if (claim.class && claim.class !== 'default') {
        throw new Error(
          `resources.${claim.name}.class: '${claim.class}' is not a class of postgres`,
        );
      }
      return { component: 'component:default/orders' };
    },
    outputs: request => ({
      host: { value: 'postgres.local' },
      port: { value: 5432 },
      password: {
        secretKeyRef: {
          name: String(request.outputs.secretName),
          key: 'password',
        },
      },
    }),
  },
  provision: async () => {},
  destroy: async () => {},
};

const types = resourceTypeLookup([databaseType]);

const workload = (overrides: JsonObject = {}): JsonObject => ({
  apiVersion: 'score.dev/v1b1',
  metadata: { name: 'orders' },
  service: { ports: { http: { port: 8080 } } },
  containers: {
    main: {
      image: '.',
      variables: {
        DATABASE_HOST: '${resources.db.host}',
        DATABASE_PASSWORD: '${resources.db.password}',
        NAMESPACE: '${resources.env.namespace}',
      },
    },
  },
  resources: {
    db: { type: 'postgres' },
    env: { type: 'environment' },
    dns: { type: 'dns' },
    web: {
      type: 'route',
      params: { host: '${resources.dns.host}', path: '/', port: 8080 },
    },
  },
  ...overrides,
});

const parameters = (
  overrides: Partial<WorkloadParameters> = {},
): WorkloadParameters => ({
  component: 'component:default/orders',
  environmentName: ENV,
  image: 'ghcr.io/acme/orders:1.0.0',
  gitRef: 'v1',
  workload: workload(),
  ...overrides,
});

/** A cluster that keeps what was applied and answers the rollout as told. */
function fakeCluster() {
  const applied: JsonObject[][] = [];
  const removed: string[] = [];
  let rolloutFailure: Error | undefined;
  const cluster: WorkloadCluster = {
    async apply({ rendered }) {
      applied.push(rendered as unknown as JsonObject[]);
    },
    async waitForRollout() {
      if (rolloutFailure) throw rolloutFailure;
    },
    async remove({ workload: name }) {
      removed.push(name);
      return [`Deployment/${name}`];
    },
    async state() {
      return {
        deployment: {
          replicas: 1,
          readyReplicas: 1,
          updatedReplicas: 1,
          images: ['orders:1'],
        },
        podsByPhase: { Running: 1 },
      };
    },
  };
  return {
    cluster,
    applied,
    removed,
    failRollouts: (error?: Error) => {
      rolloutFailure = error;
    },
  };
}

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('the workload resource type', () => {
  let operation = 0;

  async function setup(
    stage = 'development',
    requestParameters: WorkloadParameters = parameters(),
  ) {
    const store = await DatabaseDeploymentStore.create({
      database: mockServices.database({
        knex: await databases.init('SQLITE_3'),
      }),
    });
    const requests: ReferencedRequest[] = [
      {
        id: 'env-1',
        type: 'environment',
        name: ENV,
        owner: OWNER,
        parameters: {},
        createdBy: 'user:default/bob',
        state: 'ready',
        outputs: { namespace: ENV, stage },
      },
    ];
    const created: JsonObject[] = [];
    const deleted: string[] = [];
    const provisioning = {
      async createRequest(body: {
        type: string;
        name: string;
        owner: string;
        parameters: JsonObject;
      }) {
        created.push(body);
        const id = `req-${created.length}`;
        requests.push({
          id,
          ...body,
          createdBy: 'plugin:provisioning',
          state: 'ready',
          outputs: { secretName: `${body.name}-postgres` },
        });
        return { id, state: 'provisioning' };
      },
      getRequest: jest.fn(),
      runAction: jest.fn(),
      async deleteRequest(id: string) {
        deleted.push(id);
      },
    };
    const fake = fakeCluster();
    const type = createWorkloadResourceType({
      store,
      cluster: fake.cluster,
      provisioning,
      baseDomain: 'localtest.me',
      config: {
        baseDomain: 'localtest.me',
        defaults: DEFAULT_WORKLOAD_DEFAULTS,
      },
    });
    const request = storedRequest(
      'workload',
      'orders-dev-orders',
      OWNER,
      requestParameters,
    );
    const outputs: JsonObject = {};
    const context = (): StepContext<WorkloadParameters> => {
      const ctx = directStepContext({
        request,
        outputs,
        requests: inMemoryRequestLookup(requests, [databaseType]),
        resourceTypes: types,
      });
      operation += 1;
      // Every deployment is an operation of its own; outputs carry over as stored.
      return {
        ...ctx,
        operation: {
          ...ctx.operation,
          id: `op-${operation}`,
          createdBy: 'user:default/carol',
        },
        outputs,
        setOutput: async (name, value) => {
          outputs[name] = value;
        },
      };
    };
    return {
      store,
      type,
      provisioning,
      request,
      requests,
      created,
      deleted,
      fake,
      context,
      outputs,
    };
  }

  it('refuses what no deployment could run, naming the field', async () => {
    const { type } = await setup();
    const check = (p: WorkloadParameters) =>
      type.checkParameters!(p, { resourceTypes: types });
    expect(check(parameters())).toBeUndefined();
    expect(check(parameters({ image: 'Not An Image' }))).toMatch(
      /^parameters\.image: 'Not An Image' is not an OCI image reference/,
    );
    expect(
      check(parameters({ workload: workload({ containers: { main: {} } }) })),
    ).toMatch(/^parameters\.workload\.containers\.main/);
    expect(
      check(
        parameters({
          workload: workload({
            resources: {
              ...(workload().resources as JsonObject),
              cache: { type: 'redis' },
            },
          }),
        }),
      ),
    ).toBe(
      "parameters.workload.resources.cache.type: no resource type provides 'redis' (this portal provides dns, environment, postgres, route, service)",
    );
    expect(
      check(
        parameters({
          workload: workload({
            resources: {
              ...(workload().resources as JsonObject),
              db: { type: 'postgres', class: 'huge' },
            },
          }),
        }),
      ),
    ).toBe(
      "parameters.workload.resources.db.class: 'huge' is not a class of postgres",
    );
    expect(check(parameters({ image: '.' }))).toMatch(
      /^parameters\.image: container 'main' is written with image '\.'/,
    );
    // What the renderer refuses is refused here too (a dry render with stand-in
    // outputs), so that it is a 400 and not a failed deployment.
    const main = (fields: JsonObject) => ({
      main: { image: '.', ...fields },
    });
    const refusals: Array<[JsonObject, string | RegExp]> = [
      [
        { containers: main({ volumes: { '/data': { source: 'x' } } }) },
        /^parameters\.workload\.containers\.main\.volumes: volumes are not supported/,
      ],
      [
        { containers: main({ files: { '/etc/a': { source: 'a.txt' } } }) },
        /^parameters\.workload\.containers\.main\.files/,
      ],
      [
        {
          containers: main({
            files: { '/etc/a': { content: 'x', mode: '999' } },
          }),
        },
        /^parameters\.workload\.containers\.main\.files.*mode/,
      ],
      [
        { service: { ports: { 'a-very-long-port-name': { port: 80 } } } },
        /^parameters\.workload\.service\.ports\.a-very-long-port-name: .* not a valid Service port name/,
      ],
      [
        {
          resources: {
            dns: { type: 'dns' },
            web: { type: 'route', params: { path: '/', port: 8080 } },
          },
        },
        'parameters.workload.resources.web.params.host: a route needs a host',
      ],
      [
        {
          resources: {
            dns: { type: 'dns' },
            web: {
              type: 'route',
              params: { host: '${resources.dns.host}', port: 9999 },
            },
          },
        },
        /^parameters\.workload\.resources\.web\.params\.port: port 9999 is not one of the workload's service\.ports \(8080\)/,
      ],
      [
        { containers: main({ resources: { limits: { memory: '512K' } } }) },
        /^parameters\.workload\.containers\.main\.resources\.limits\.memory/,
      ],
      [
        {
          containers: main({
            resources: { requests: { cpu: '2' }, limits: { cpu: '1' } },
          }),
        },
        /^parameters\.workload\.containers\.main\.resources\.requests\.cpu: the request 2 is more than the limit 1/,
      ],
      [
        { metadata: { name: '1orders' } },
        /^parameters\.workload\.metadata\.name: '1orders' is not a valid Kubernetes name/,
      ],
    ];
    for (const [fields, problem] of refusals) {
      const w = workload(
        'resources' in fields ? { containers: main({}), ...fields } : fields,
      );
      expect(check(parameters({ workload: w }))).toEqual(
        expect.stringMatching(problem),
      );
    }
    // A port taken from an output can only be judged once the output exists.
    expect(
      check(
        parameters({
          workload: workload({
            containers: main({}),
            resources: {
              svc: { type: 'service' },
              web: {
                type: 'route',
                params: {
                  host: 'orders.example.com',
                  port: '${resources.svc.port}',
                },
              },
            },
          }),
        }),
      ),
    ).toBeUndefined();
    // An action's input is named `input`; the workload stays the same one.
    const deploy = type.actions!.deploy;
    const target = {
      request: storedRequest(
        'workload',
        'orders-dev-orders',
        OWNER,
        parameters(),
      ),
      outputs: {},
      resourceTypes: types,
    };
    expect(
      deploy.checkInput!({ image: 'orders:2', workload: workload() }, target),
    ).toBeUndefined();
    expect(
      deploy.checkInput!(
        {
          image: 'orders:2',
          workload: workload({ metadata: { name: 'cart' } }),
        },
        target,
      ),
    ).toMatch(/^input\.workload\.metadata\.name: must stay 'orders'/);
    expect(
      deploy.checkInput!(
        {
          image: 'orders:2',
          workload: workload({
            containers: main({ volumes: { '/data': { source: 'x' } } }),
          }),
        },
        target,
      ),
    ).toMatch(/^input\.workload\.containers\.main\.volumes: /);
  });

  it("resolves metadata placeholders in a resource's params and refuses other resources' outputs there", async () => {
    const withParams = (params: JsonObject) =>
      parameters({
        workload: workload({
          metadata: { name: 'orders', annotations: { tier: 'gold' } },
          resources: {
            ...(workload().resources as JsonObject),
            db: { type: 'postgres', params },
          },
        }),
      });
    const { type, context } = await setup(
      'development',
      withParams({
        target: '${metadata.annotations.tier}',
        note: ['${metadata.name}-db', 'costs $$5'],
      }),
    );
    claims.length = 0;
    await type.provision(context());
    expect(claims).toEqual([
      { params: { target: 'gold', note: ['orders-db', 'costs $5'] } },
    ]);
    expect(
      type.checkParameters!(
        withParams({ target: 'main-${resources.env.namespace}' }),
        { resourceTypes: types },
      ),
    ).toBe(
      "parameters.workload.resources.db.params.target: placeholder ${resources.env.namespace}: the params of a postgres resource cannot use other resources' outputs (resources are made side by side, not one after another); only ${metadata.*} placeholders are resolved here, and resource outputs in route params",
    );
  });

  it('deploys: makes the database in the environment, wires its secret as a Secret reference, records the deployment', async () => {
    const { type, created, fake, context, outputs, store, request } =
      await setup();
    await type.provision(context());

    expect(created).toEqual([
      {
        type: 'postgres',
        name: DB_REQUEST,
        owner: OWNER,
        parameters: {
          component: 'component:default/orders',
          environmentName: ENV,
        },
      },
    ]);
    const [objects] = fake.applied;
    const deployment = objects.find(o => o.kind === 'Deployment') as any;
    const env = deployment.spec.template.spec.containers[0].env;
    expect(env).toEqual(
      expect.arrayContaining([
        { name: 'DATABASE_HOST', value: 'postgres.local' },
        { name: 'NAMESPACE', value: ENV },
        {
          name: 'DATABASE_PASSWORD',
          valueFrom: {
            secretKeyRef: { name: `${DB_REQUEST}-postgres`, key: 'password' },
          },
        },
      ]),
    );
    expect(deployment.spec.template.spec.containers[0].image).toBe(
      'ghcr.io/acme/orders:1.0.0',
    );
    const ingress = objects.find(o => o.kind === 'Ingress') as any;
    expect(ingress.spec.rules[0].host).toBe(`orders-${ENV}.localtest.me`);

    expect(outputs).toMatchObject({
      namespace: ENV,
      workload: 'orders',
      image: 'ghcr.io/acme/orders:1.0.0',
      stage: 'development',
      resources: { db: 'req-1' },
      ownedResources: ['req-1'],
      servicePort: 8080,
      host: `orders-${ENV}.localtest.me`,
      catalogAnnotations: {
        'backstage.io/kubernetes-namespace': ENV,
        'backstage.io/kubernetes-label-selector': 'paved.dev/workload=orders',
      },
    });
    const [record] = await store.list({});
    expect(record).toMatchObject({
      id: outputs.deploymentId,
      status: 'succeeded',
      kind: 'deploy',
      component: 'component:default/orders',
      owner: OWNER,
      environment: ENV,
      stage: 'development',
      workload: 'orders',
      requestId: request.id,
      image: 'ghcr.io/acme/orders:1.0.0',
      gitRef: 'v1',
      createdBy: 'user:default/carol',
    });
  });

  it('records the host of its dns resource whatever the resource is called', async () => {
    const renamed = workload({
      resources: {
        public: { type: 'dns' },
        web: {
          type: 'route',
          params: { host: '${resources.public.host}', port: 8080 },
        },
      },
      containers: { main: { image: '.' } },
    });
    const { type, context, outputs } = await setup(
      'development',
      parameters({ workload: renamed }),
    );
    await type.provision(context());
    expect(outputs.host).toBe(`orders-${ENV}.localtest.me`);
  });

  it('deploys again reusing the database, fails a rollout with its reasons, rolls back to the previous version', async () => {
    const { type, created, fake, context, outputs, store } = await setup();
    await type.provision(context());
    const deploy = type.actions!.deploy;
    await deploy.run(
      actionContext(context(), 'deploy', {
        image: 'ghcr.io/acme/orders:2.0.0',
        gitRef: 'v2',
        workload: workload(),
      }),
    );
    // One database for both deployments.
    expect(created).toHaveLength(1);
    expect(outputs.image).toBe('ghcr.io/acme/orders:2.0.0');

    fake.failRollouts(
      new RolloutFailedError('orders', [
        'ReplicaFailure: pods "orders-x" is forbidden: exceeded quota: compute',
      ]),
    );
    const failing = deploy.run(
      actionContext(context(), 'deploy', {
        image: 'ghcr.io/acme/orders:3.0.0',
        workload: workload(),
      }),
    );
    await expect(failing).rejects.toBeInstanceOf(NonRetryableError);
    await expect(failing).rejects.toThrow(/exceeded quota/);
    fake.failRollouts(undefined);
    const [failed] = await store.list({ status: 'failed' });
    expect(failed).toMatchObject({
      image: 'ghcr.io/acme/orders:3.0.0',
      reason: expect.stringContaining('exceeded quota'),
    });
    // What ran last is still the second version.
    expect(outputs.image).toBe('ghcr.io/acme/orders:2.0.0');

    await type.actions!.rollback.run(actionContext(context(), 'rollback', {}));
    const [rollback, ...earlier] = await store.list({});
    const first = earlier.find(d => d.image === 'ghcr.io/acme/orders:1.0.0')!;
    expect(rollback).toMatchObject({
      kind: 'rollback',
      status: 'succeeded',
      image: 'ghcr.io/acme/orders:1.0.0',
      gitRef: 'v1',
      rollbackOf: first.id,
    });
    expect(outputs.image).toBe('ghcr.io/acme/orders:1.0.0');
    const deployment = fake.applied[fake.applied.length - 1].find(
      o => o.kind === 'Deployment',
    ) as any;
    expect(deployment.spec.template.spec.containers[0].image).toBe(
      'ghcr.io/acme/orders:1.0.0',
    );

    // A deployment of another request is no target.
    await expect(
      type.actions!.rollback.run(
        actionContext(context(), 'rollback', { to: 'nope' }),
      ),
    ).rejects.toThrow(
      "input.to: there is no deployment 'nope' of this workload",
    );
  });

  it("is copied with its environment: the copy names the source's resources and uses their copies", async () => {
    const copy = (source: WorkloadParameters) => {
      const made = createWorkloadResourceType({} as any).environmentCopy!
        .parameters!(source, { sourceName: 'x', seeded: false });
      return { ...made, environmentName: 'orders-pr-7' } as WorkloadParameters;
    };
    const first = copy(
      parameters({ kind: 'promotion', promotedFrom: 'dep-1' }),
    );
    expect(first).toEqual({
      ...parameters(),
      environmentName: 'orders-pr-7',
      copiedFrom: {
        environment: ENV,
        resources: { db: DB_REQUEST },
      },
    });
    // A copy of the copy names what the copy uses: the copy of the source's.
    expect(
      copy({ ...first, environmentName: 'orders-pr-8' }).copiedFrom,
    ).toEqual({
      environment: 'orders-pr-8',
      resources: { db: 'orders-pr-8-orders-db' },
    });

    // Names cut with a hash do not line up: the copied workload finds the copy's.
    const { type, requests, created, context, outputs } = await setup(
      'development',
      parameters({
        copiedFrom: {
          environment: 'orders-main',
          resources: { db: 'orders-main-orders-d-1a2b3c4d' },
        },
      }),
    );
    requests.push({
      id: 'copied-db',
      type: 'postgres',
      name: 'orders-dev-orders-d-1a2b3c4d',
      owner: OWNER,
      parameters: { environmentName: ENV },
      createdBy: 'plugin:provisioning',
      state: 'ready',
      outputs: { secretName: 'copied-db-postgres' },
    });
    await type.provision(context());
    expect(created).toEqual([]);
    expect(outputs.resources).toEqual({ db: 'copied-db' });
  });

  it('uses the request a copy of its environment made meanwhile when creating its own is refused with a 409', async () => {
    const { type, requests, provisioning, context, outputs } = await setup();
    provisioning.createRequest = async body => {
      requests.push({
        id: 'made-by-the-copy',
        ...body,
        parameters: { environmentName: ENV, seededFrom: 'x' },
        createdBy: 'plugin:provisioning',
        state: 'ready',
        outputs: { secretName: `${body.name}-postgres` },
      });
      throw new ProvisioningApiError(409, 'exists with other parameters');
    };
    await type.provision(context());
    expect(outputs.resources).toEqual({ db: 'made-by-the-copy' });

    // Someone else's request of that name is never used.
    const other = await setup();
    other.provisioning.createRequest = async body => {
      other.requests.push({
        id: 'not-ours',
        ...body,
        owner: 'group:default/someone-else',
        createdBy: 'user:default/eve',
        state: 'ready',
        outputs: {},
      });
      throw new ProvisioningApiError(409, 'exists with other parameters');
    };
    const refused = await other.type.provision(other.context()).catch(e => e);
    expect(refused).toBeInstanceOf(NonRetryableError);
    expect(refused.message).toBe(
      `resources.db: requesting postgres '${DB_REQUEST}' was refused: exists with other parameters`,
    );
  });

  it('refuses a placeholder naming an output the resource lacks, at deploy time, naming the placeholder and the field', async () => {
    const { type, context, store, fake } = await setup();
    const ctx = context();
    ctx.request.parameters = parameters({
      workload: workload({
        containers: {
          main: {
            image: '.',
            variables: { DATABASE_URL: '${resources.db.uri}' },
          },
        },
      }),
    });
    const provisioning = type.provision(ctx);
    await expect(provisioning).rejects.toBeInstanceOf(NonRetryableError);
    await expect(provisioning).rejects.toThrow(
      /containers\.main\.variables\.DATABASE_URL.*\$\{resources\.db\.uri\}/,
    );
    expect(fake.applied).toEqual([]);
    const [record] = await store.list({});
    expect(record.status).toBe('failed');
  });

  it('needs an approval to deploy to a production environment', async () => {
    const { type } = await setup();
    const environment = (stage: string): ReferencedRequest => ({
      id: 'e',
      type: 'environment',
      name: 'orders-prod',
      owner: OWNER,
      parameters: {},
      createdBy: 'user:default/bob',
      state: 'ready',
      outputs: { namespace: 'orders-prod', stage },
    });
    const input = {
      type: 'workload',
      name: 'orders-prod-orders',
      owner: OWNER,
      parameters: parameters({ environmentName: 'orders-prod' }),
      createdBy: 'user:default/bob',
    };
    expect(
      type.policy!.requiresApproval!(input, {
        references: { 'parameters.environmentName': environment('production') },
      }),
    ).toEqual({ reason: 'deploys to production environment orders-prod' });
    expect(
      type.policy!.requiresApproval!(input, {
        references: { 'parameters.environmentName': environment('staging') },
      }),
    ).toBeUndefined();
    const target = {
      request: storedRequest(
        'workload',
        'orders-prod-orders',
        OWNER,
        parameters(),
      ),
      outputs: { stage: 'production', environment: 'orders-prod' },
    };
    expect(
      type.actions!.deploy.requiresApproval!(
        { image: 'x', workload: workload() },
        target,
      ),
    ).toEqual({ reason: 'deploys to production environment orders-prod' });
    expect(type.actions!.rollback.requiresApproval).toBeUndefined();
  });

  it('is destroyed with its objects and the resources it made; reports its state', async () => {
    const { type, context, fake, deleted, outputs } = await setup();
    await type.provision(context());
    const status = await type.status!({
      ...context(),
      outputs,
    });
    expect(status.sections.map(s => s.title)).toEqual([
      'Deployment',
      'Pods',
      'Resources',
    ]);
    await type.destroy(context());
    expect(fake.removed).toEqual(['orders']);
    expect(deleted).toEqual(['req-1']);
  });
});

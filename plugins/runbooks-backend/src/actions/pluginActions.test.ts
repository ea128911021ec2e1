/*
 * The plugin's actions as the MCP server reaches them: through the real Actions
 * Registry's HTTP API of the plugin, with the agent policy read from config and
 * the real scaffolder behind it. A dry run leaves the scaffolder without a task;
 * a real run (allowed by config here) starts one as the user.
 */
import request from 'supertest';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { runbookRunPermission } from '@paved/plugin-runbooks-common';
import { userInfoFromMembers } from '@paved/test-utils';
import { runbooksPlugin } from '../plugin';

jest.setTimeout(60_000);

const MEMBERS: Record<string, string[]> = {
  'user:default/bob': ['group:default/checkout-team'],
};

const ORDERS = 'component:default/orders-api';

/** A runbook that changes nothing, with the confirmation of those that do. */
const echoRunbook: Entity = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'echo',
    namespace: 'default',
    title: 'Echo',
    annotations: { 'paved.dev/runbook-applies-to-kind': 'Component' },
  },
  spec: {
    type: 'runbook',
    owner: 'group:default/platform-team',
    parameters: [
      {
        required: ['entityRef', 'confirm'],
        properties: {
          entityRef: { type: 'string' },
          message: { type: 'string' },
          confirm: { type: 'boolean', const: true },
        },
      },
    ],
    steps: [
      {
        id: 'log',
        action: 'debug:log',
        input: { message: '${{ parameters.message }}' },
      },
    ],
  },
};

const permissions = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory: () => ({
    async authorize(requests: any[], options: any) {
      const ref = options.credentials.principal.userEntityRef;
      return requests.map(r => ({
        result:
          r.permission.name !== runbookRunPermission.name ||
          (MEMBERS[ref] ?? []).includes('group:default/checkout-team')
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      }));
    },
    async authorizeConditional(requests: any[]) {
      return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
    },
  }),
});

const events = createServiceFactory({
  service: eventsServiceRef,
  deps: {},
  factory: () => ({ async publish() {}, async subscribe() {} }),
});

describe('the runbooks actions through the Actions Registry', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const bob = mockCredentials.user.header('user:default/bob');

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        runbooksPlugin,
        permissions,
        events,
        userInfoFromMembers(MEMBERS),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: { name: 'orders-api', namespace: 'default' },
              spec: {
                type: 'service',
                owner: 'group:default/checkout-team',
                lifecycle: 'production',
              },
            },
            echoRunbook,
          ],
        }),
        mockServices.rootConfig.factory({
          data: { paved: { agents: { destructive: 'allow' } } },
        }),
      ],
    });
  });
  afterAll(() => backend?.stop());

  const invoke = (name: string, input: object) =>
    request(backend.server)
      .post(
        `/api/runbooks/.backstage/actions/v1/actions/runbooks:${name}/invoke`,
      )
      .set('authorization', bob)
      .send(input);

  const tasks = async () =>
    (
      await request(backend.server)
        .get('/api/scaffolder/v2/tasks')
        .set('authorization', bob)
    ).body.tasks;

  it('lists its actions with their attributes', async () => {
    const response = await request(backend.server)
      .get('/api/runbooks/.backstage/actions/v1/actions')
      .set('authorization', bob);
    expect(response.status).toBe(200);
    expect(
      response.body.actions.map((a: any) => [a.id, a.attributes.destructive]),
    ).toEqual([
      ['runbooks:list-runbooks', false],
      ['runbooks:run-runbook', true],
    ]);
  });

  it('dry-runs without a task, then runs as the user', async () => {
    const dry = await invoke('run-runbook', {
      entityRef: ORDERS,
      runbook: 'echo',
      inputs: { message: 'hello' },
    });
    expect(dry.status).toBe(200);
    expect(dry.body.output).toMatchObject({
      dryRun: true,
      started: false,
      problems: [],
      confirmation: { field: 'confirm', value: true, given: false },
    });
    expect(await tasks()).toEqual([]);

    const unconfirmed = await invoke('run-runbook', {
      entityRef: ORDERS,
      runbook: 'echo',
      dryRun: false,
    });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error.message).toMatch(/^confirm: /);
    expect(await tasks()).toEqual([]);

    const run = await invoke('run-runbook', {
      entityRef: ORDERS,
      runbook: 'echo',
      inputs: { message: 'hello' },
      dryRun: false,
      confirm: true,
    });
    expect(run.status).toBe(200);
    expect(run.body.output).toMatchObject({ started: true });
    const [task] = await tasks();
    expect(task).toMatchObject({
      id: run.body.output.taskId,
      createdBy: 'user:default/bob',
      spec: {
        parameters: { entityRef: ORDERS, message: 'hello', confirm: true },
      },
    });
  });

  it('answers 400 naming the field for bad input', async () => {
    const response = await invoke('run-runbook', { entityRef: ORDERS });
    expect(response.status).toBe(400);
    expect(response.body.error.name).toBe('InputError');
    expect(response.body.error.cause.issues).toEqual([
      expect.objectContaining({ path: ['runbook'], message: 'Required' }),
    ]);
  });
});

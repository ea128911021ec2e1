/*
 * The runbooks API with the real scaffolder (and the runbook actions) behind it:
 * which runbooks apply to an entity, starting one as its owner, 403 for another
 * team, 409 while one runs, and the past runs with their outcome and duration.
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
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
// The real runbook actions run the tasks this plugin starts.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import scaffolderModuleRunbooks from '@paved/plugin-scaffolder-backend-module-runbooks';
import { USAGE_EVENTS_TOPIC } from '@paved/plugin-adoption-common';
import { runbookRunPermission } from '@paved/plugin-runbooks-common';
import { userInfoFromMembers, waitFor } from '@paved/test-utils';
import { runbooksPlugin } from './plugin';

jest.setTimeout(60_000);

const TEMPLATES = path.resolve(__dirname, '../../../templates/runbooks');
const readRunbook = (name: string): Entity => {
  const template = parse(
    fs.readFileSync(path.join(TEMPLATES, name, 'template.yaml'), 'utf8'),
  );
  template.metadata.namespace = 'default';
  return template;
};

const MEMBERS: Record<string, string[]> = {
  'user:default/bob': ['group:default/checkout-team'],
  'user:default/eve': ['group:default/payments-team'],
};

const component = (
  name: string,
  type: string,
  annotations: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type, owner: 'group:default/checkout-team', lifecycle: 'production' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/checkout-team' }],
});

/** A runbook that holds its run for a while, for the concurrency test. */
const slowRunbook: Entity = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'slow-runbook',
    namespace: 'default',
    title: 'A slow runbook',
    annotations: { 'paved.dev/runbook-applies-to-kind': 'Component' },
  },
  spec: {
    type: 'runbook',
    owner: 'group:default/platform-team',
    parameters: [
      {
        required: ['entityRef'],
        properties: {
          entityRef: { type: 'string' },
          seconds: { type: 'integer' },
        },
      },
    ],
    steps: [
      {
        id: 'authorize',
        action: 'paved:runbook:authorize',
        input: { entityRef: '${{ parameters.entityRef }}' },
      },
      {
        id: 'wait',
        action: 'debug:wait',
        input: { seconds: '${{ parameters.seconds }}' },
      },
    ],
  },
};

/** The permission decision the Paved policy makes: owners (and nobody else) run runbooks. */
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

const userInfo = userInfoFromMembers(MEMBERS);

const published: Array<{ topic: string; eventPayload: any }> = [];
const events = createServiceFactory({
  service: eventsServiceRef,
  deps: {},
  factory: () => ({
    async publish(event: any) {
      published.push(event);
    },
    async subscribe() {},
  }),
});

describe('the runbooks API', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const bob = mockCredentials.user.header('user:default/bob');
  const eve = mockCredentials.user.header('user:default/eve');
  const ORDERS = 'component:default/orders-api';

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleRunbooks,
        runbooksPlugin,
        permissions,
        userInfo,
        events,
        catalogServiceMock.factory({
          entities: [
            component('orders-api', 'service', {
              'backstage.io/kubernetes-id': 'orders-api',
            }),
            component('orders-lib', 'library'),
            component('storefront', 'website'),
            slowRunbook,
            ...[
              'restart-deployment',
              'scale-deployment',
              'rollback-deployment',
              'collect-diagnostics',
              'rotate-database-credentials',
              'terminate-long-queries',
              'extend-environment',
              'deploy-version',
              'rollback-workload',
            ].map(readRunbook),
          ],
        }),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
  });
  afterAll(() => backend?.stop());

  it('lists the runbooks that apply to an entity, with prefilled links', async () => {
    const response = await request(backend.server)
      .get('/api/runbooks/runbooks')
      .query({ entityRef: ORDERS })
      .set('authorization', bob);
    expect(response.status).toBe(200);
    const names = response.body.items.map((r: { name: string }) => r.name);
    expect(names.sort()).toEqual([
      'collect-diagnostics',
      'deploy-version',
      'extend-environment',
      'restart-deployment',
      'rollback-deployment',
      'rollback-workload',
      'rotate-database-credentials',
      'scale-deployment',
      'slow-runbook',
      'terminate-long-queries',
    ]);
    const restart = response.body.items.find(
      (r: { name: string }) => r.name === 'restart-deployment',
    );
    expect(restart).toEqual({
      templateRef: 'template:default/restart-deployment',
      name: 'restart-deployment',
      title: 'Runbook: restart a deployment',
      description: expect.stringContaining('kubectl rollout restart'),
      version: '1.0.0',
      destructive: true,
      link: `/create/templates/default/restart-deployment?formData=${encodeURIComponent(
        JSON.stringify({ entityRef: ORDERS }),
      )}`,
      docsUrl:
        '/docs/default/component/paved-portal/runbooks/#restart-deployment',
    });

    // The deployments runbooks, prefilled with the component like the others.
    const deployVersion = response.body.items.find(
      (r: { name: string }) => r.name === 'deploy-version',
    );
    expect(deployVersion).toMatchObject({
      templateRef: 'template:default/deploy-version',
      title: 'Runbook: deploy a version',
      destructive: false,
      docsUrl: '/docs/default/component/paved-portal/runbooks/#deploy-version',
    });
    expect(
      response.body.items.find(
        (r: { name: string }) => r.name === 'rollback-workload',
      ),
    ).toMatchObject({
      title: 'Runbook: roll back a deployment (Score)',
      destructive: true,
      docsUrl:
        '/docs/default/component/paved-portal/runbooks/#rollback-workload',
    });

    // A website without a Kubernetes id: only the runbooks that need none (a
    // Score workload's runbooks go through the deployments API, not its pods).
    const website = await request(backend.server)
      .get('/api/runbooks/runbooks')
      .query({ entityRef: 'component:default/storefront' })
      .set('authorization', bob);
    expect(
      website.body.items.map((r: { name: string }) => r.name).sort(),
    ).toEqual([
      'deploy-version',
      'extend-environment',
      'rollback-workload',
      'slow-runbook',
    ]);
    // A library: no type matches.
    const library = await request(backend.server)
      .get('/api/runbooks/runbooks')
      .query({ entityRef: 'component:default/orders-lib' })
      .set('authorization', bob);
    expect(library.body.items.map((r: { name: string }) => r.name)).toEqual([
      'slow-runbook',
    ]);
  });

  it('answers 404 for an unknown entity and 400 without one', async () => {
    const unknown = await request(backend.server)
      .get('/api/runbooks/runbooks')
      .query({ entityRef: 'component:default/nope' })
      .set('authorization', bob);
    expect(unknown.status).toBe(404);
    const missing = await request(backend.server)
      .get('/api/runbooks/runs')
      .set('authorization', bob);
    expect(missing.status).toBe(400);
  });

  it("refuses another team's user with 403", async () => {
    const response = await request(backend.server)
      .post('/api/runbooks/runs')
      .set('authorization', eve)
      .send({
        templateRef: 'template:default/slow-runbook',
        entityRef: ORDERS,
        values: { seconds: 1 },
      });
    expect(response.status).toBe(403);
    expect(response.body.error.message).toContain(
      'You may not run runbooks on component:default/orders-api',
    );
    expect(published).toContainEqual({
      topic: USAGE_EVENTS_TOPIC,
      eventPayload: expect.objectContaining({
        plugin: 'runbooks',
        action: 'runbook-run',
        actor: 'user:default/eve',
        outcome: 'failed',
      }),
    });
  });

  it('starts a run as the owner, 409 while it runs, then lists it with outcome and duration', async () => {
    const started = await request(backend.server)
      .post('/api/runbooks/runs')
      .set('authorization', bob)
      .send({
        templateRef: 'template:default/slow-runbook',
        entityRef: ORDERS,
        values: { seconds: 2 },
      });
    expect(started.status).toBe(201);
    const { taskId } = started.body;

    const again = await request(backend.server)
      .post('/api/runbooks/runs')
      .set('authorization', bob)
      .send({
        templateRef: 'template:default/slow-runbook',
        entityRef: ORDERS,
        values: { seconds: 2 },
      });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(
      `runbook slow-runbook is already running on ${ORDERS} (task ${taskId})`,
    );

    const runs = await waitFor(
      'the run to finish',
      async () => {
        const response = await request(backend.server)
          .get('/api/runbooks/runs')
          .query({ entityRef: ORDERS })
          .set('authorization', bob);
        return response.body.items[0]?.outcome === 'completed'
          ? response.body.items
          : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(runs).toEqual([
      {
        taskId,
        templateRef: 'template:default/slow-runbook',
        entityRef: ORDERS,
        createdBy: 'user:default/bob',
        createdAt: expect.any(String),
        outcome: 'completed',
        durationMs: expect.any(Number),
        parameters: { entityRef: ORDERS, seconds: 2 },
        link: `/create/tasks/${taskId}`,
      },
    ]);
    expect(runs[0].durationMs).toBeGreaterThanOrEqual(2000);
    expect(published).toContainEqual({
      topic: USAGE_EVENTS_TOPIC,
      eventPayload: expect.objectContaining({
        action: 'runbook-run',
        subject: 'template:default/slow-runbook',
        actor: 'user:default/bob',
        team: 'group:default/checkout-team',
        outcome: 'succeeded',
        attributes: { entityRef: ORDERS, taskId },
      }),
    });

    // Runs on another entity are not listed here.
    const others = await request(backend.server)
      .get('/api/runbooks/runs')
      .query({ entityRef: 'component:default/storefront' })
      .set('authorization', bob);
    expect(others.body.items).toEqual([]);
  });

  it('refuses a template that is not a runbook for the entity', async () => {
    const response = await request(backend.server)
      .post('/api/runbooks/runs')
      .set('authorization', bob)
      .send({
        templateRef: 'template:default/restart-deployment',
        entityRef: 'component:default/orders-lib',
        values: { confirm: true },
      });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain(
      "templateRef 'template:default/restart-deployment' is not a runbook for component:default/orders-lib",
    );
  });
});

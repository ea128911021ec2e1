/*
 * The "Request a PostgreSQL database" template run as a real scaffolder task, with
 * the real provisioning plugin behind it (a stand-in `postgres` type, so that this
 * test needs no database server; the real type has its own tests).
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
// The test runs the real provisioning plugin next to the scaffolder, on purpose.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import provisioningPlugin from '@paved/plugin-provisioning-backend';
import { provisioningResourceTypesExtensionPoint } from '@paved/plugin-provisioning-node';
import { waitFor } from '@paved/test-utils';
import { scaffolderModulePaved } from './module';
import { TEMPLATES } from './__testUtils__/goldenPaths';

const template = parse(
  fs.readFileSync(
    path.join(TEMPLATES, 'postgres-database', 'template.yaml'),
    'utf8',
  ),
);
template.metadata.namespace = 'default';

const provisioned: Array<Record<string, unknown>> = [];
const standInPostgres = createBackendModule({
  pluginId: 'provisioning',
  moduleId: 'stand-in-postgres',
  register(reg) {
    reg.registerInit({
      deps: { types: provisioningResourceTypesExtensionPoint },
      async init({ types }) {
        types.addResourceType({
          id: 'postgres',
          title: 'PostgreSQL database (stand-in)',
          description: 'Records what it was asked for',
          catalogType: 'database',
          parameters: {
            type: 'object',
            additionalProperties: false,
            properties: {
              environment: { type: 'string' },
              connectionLimit: { type: 'integer' },
              component: { type: 'string' },
            },
          },
          async provision(ctx) {
            provisioned.push({
              name: ctx.request.name,
              ...ctx.request.parameters,
            });
            await ctx.setOutput('secretName', `${ctx.request.name}-postgres`);
            await ctx.setOutput('secretNamespace', 'team-checkout');
          },
          async destroy() {},
        });
      },
    });
  },
});

describe('the postgres-database template', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModulePaved,
        provisioningPlugin,
        standInPostgres,
        catalogServiceMock.factory({ entities: [template] }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://portal.test' },
            provisioning: { worker: { pollInterval: { milliseconds: 50 } } },
          },
        }),
      ],
    });
  });
  afterAll(() => backend?.stop());

  const user = mockCredentials.user.header('user:default/bob');

  it('files the request as the user and finishes when the database is ready', async () => {
    const created = await request(backend.server)
      .post('/api/scaffolder/v2/tasks')
      .set('authorization', user)
      .send({
        templateRef: 'template:default/postgres-database',
        values: {
          name: 'orders',
          owner: 'group:default/checkout-team',
          component: 'component:default/orders-api',
          environment: 'development',
          connectionLimit: 5,
        },
      });
    expect(created.status).toBe(201);

    const task = await waitFor(
      'the task to finish',
      async () => {
        const response = await request(backend.server)
          .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
          .set('authorization', user);
        return ['completed', 'failed'].includes(response.body.status)
          ? response.body
          : undefined;
      },
      { timeoutMs: 60_000 },
    );
    const log = await request(backend.server)
      .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
      .set('authorization', user);
    const messages = log.body.map(
      (event: { body: { message?: string } }) => event.body.message,
    );
    // The log is in the failure message, so a failing step says why.
    expect(`${task.status}\n${messages.join('\n')}`).toMatch(/^completed\n/);
    expect(messages.join('\n')).toContain('Filed request');

    expect(provisioned).toEqual([
      {
        name: 'orders',
        environment: 'development',
        connectionLimit: 5,
        component: 'component:default/orders-api',
      },
    ]);
    const requests = await request(backend.server)
      .get('/api/provisioning/requests')
      .set('authorization', user);
    expect(requests.body.items).toEqual([
      expect.objectContaining({
        name: 'orders',
        owner: 'group:default/checkout-team',
        createdBy: 'user:default/bob',
        state: 'ready',
      }),
    ]);
  }, 90_000);
});

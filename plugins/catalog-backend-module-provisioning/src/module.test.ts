import request from 'supertest';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
// The real provisioning plugin next to the real catalog, in tests only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import provisioningPlugin from '@paved/plugin-provisioning-backend';
import {
  provisioningApi,
  standInResourceTypes,
  testWorkerConfig,
  waitFor,
} from '@paved/test-utils';
import { catalogModuleProvisioning, REFRESH_TASK } from './module';

/** A resource type that is ready as soon as it is provisioned. */
const noteType = standInResourceTypes('note', [
  {
    id: 'note',
    title: 'Note',
    description: 'A resource that is only a row',
    catalogType: 'database',
    parameters: {
      type: 'object',
      properties: { component: { type: 'string' } },
      additionalProperties: false,
    },
    async provision(ctx) {
      await ctx.setOutput('written', true);
    },
    async destroy() {},
  },
]);

/** The real catalog and the real provisioning plugin, side by side. */
describe('catalog module provisioning', () => {
  // Scheduled tasks run when triggered, so the test says when the provider reads.
  const scheduler = mockServices.scheduler();
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleProvisioning,
        provisioningPlugin,
        noteType,
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://portal.test' },
            provisioning: { worker: testWorkerConfig() },
          },
        }),
      ],
    });
  });
  afterAll(() => backend?.stop());

  const { api, waitForState } = provisioningApi(() => backend.server);

  const entity = async () => {
    const response = await request(backend.server)
      .get('/api/catalog/entities/by-name/resource/default/orders-db')
      .set('authorization', mockCredentials.user.header('user:default/bob'));
    return response.status === 200 ? response.body : undefined;
  };

  it('lists a provisioned resource as a Resource of its team, and drops it once deleted', async () => {
    const created = await api('post', '/requests').send({
      type: 'note',
      name: 'orders-db',
      owner: 'group:default/checkout-team',
      parameters: { component: 'component:default/orders-api' },
    });
    expect(created.status).toBe(201);

    await scheduler.triggerTask(REFRESH_TASK);
    const resource = await waitFor('orders-db in the catalog', entity, {
      timeoutMs: 30_000,
    });
    expect(resource.spec).toEqual({
      type: 'database',
      owner: 'group:default/checkout-team',
      dependencyOf: ['component:default/orders-api'],
    });
    expect(resource.metadata.annotations).toMatchObject({
      'paved.dev/provisioning-request': created.body.id,
      'paved.dev/resource-type': 'note',
    });
    expect(resource.metadata.links).toEqual([
      expect.objectContaining({
        url: `http://portal.test/self-service/requests/${created.body.id}`,
      }),
    ]);

    await waitForState(created.body.id, 'ready');
    expect(
      (await api('delete', `/requests/${created.body.id}`)).status,
    ).toBeLessThan(300);
    await waitForState(created.body.id, 'deleted');
    await scheduler.triggerTask(REFRESH_TASK);
    await waitFor(
      'orders-db gone from the catalog',
      async () => (await entity()) === undefined,
      { timeoutMs: 30_000 },
    );
  }, 90_000);
});

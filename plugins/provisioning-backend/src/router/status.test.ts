import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  provisioningResourceTypesExtensionPoint,
  ResourceType,
} from '@paved/plugin-provisioning-node';
import { pavedPolicyPermissions, waitFor } from '@paved/test-utils';
import request from 'supertest';
import { specErrors } from '../__testUtils__/openApiSpec';
import { provisioningPlugin } from '../plugin';

const MEMBERSHIPS: Record<string, string[]> = {
  'user:default/bob': ['group:default/payments-team'],
  'user:default/dave': ['group:default/orders-team'],
};

const parameters = { type: 'object', properties: {} };
const withStatus: ResourceType = {
  id: 'with-status',
  title: 'With status',
  description: 'Reports its status',
  parameters,
  async provision() {},
  async destroy() {},
  async status(ctx) {
    return {
      sections: [
        {
          title: 'Backups',
          items: [{ label: 'Last backup', value: `of ${ctx.request.name}` }],
          table: { columns: ['Time', 'Size'], rows: [['now', 42]] },
        },
      ],
    };
  },
};
let releaseSlow: () => void = () => {};
const slow: ResourceType = {
  id: 'slow',
  title: 'Slow',
  description: 'Takes its time to provision',
  parameters,
  provision: () =>
    new Promise<void>(resolve => {
      releaseSlow = resolve;
    }),
  async destroy() {},
  async status() {
    return { sections: [{ title: 'never asked' }] };
  },
};
const without: ResourceType = {
  id: 'without-status',
  title: 'Without status',
  description: 'Has no status hook',
  parameters,
  async provision() {},
  async destroy() {},
};

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('GET /requests/{id}/status', () => {
  let backend: TestBackend;

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    backend = await startTestBackend({
      features: [
        provisioningPlugin,
        createBackendModule({
          pluginId: 'provisioning',
          moduleId: 'status-types',
          register(reg) {
            reg.registerInit({
              deps: { types: provisioningResourceTypesExtensionPoint },
              async init({ types }) {
                [withStatus, slow, without].forEach(t =>
                  types.addResourceType(t),
                );
              },
            });
          },
        }),
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            provisioning: {
              worker: { pollInterval: { milliseconds: 50 } },
            },
          },
        }),
        pavedPolicyPermissions(MEMBERSHIPS),
      ],
    });
  });

  afterAll(async () => {
    releaseSlow();
    await backend?.stop();
  });

  const api = (path: string, user = 'user:default/bob') =>
    request(backend.server)
      .get(`/api/provisioning${path}`)
      .set('authorization', mockCredentials.user.header(user));

  async function create(type: string, name: string) {
    const response = await request(backend.server)
      .post('/api/provisioning/requests')
      .set('authorization', mockCredentials.user.header('user:default/bob'))
      .send({ type, name, owner: 'group:default/payments-team' });
    expect(response.status).toBe(201);
    return response.body.id as string;
  }

  const ready = (id: string) =>
    waitFor(`request ${id} to be ready`, async () => {
      const response = await api(`/requests/${id}`);
      return response.body.state === 'ready' ? true : undefined;
    });

  it('serves the sections of a ready request to its readers', async () => {
    const id = await create('with-status', 'orders-db');
    await ready(id);
    const response = await api(`/requests/${id}/status`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      sections: [
        {
          title: 'Backups',
          items: [{ label: 'Last backup', value: 'of orders-db' }],
          table: { columns: ['Time', 'Size'], rows: [['now', 42]] },
        },
      ],
    });
    expect(specErrors('ResourceStatus', response.body)).toEqual([]);
    // Read like the request itself (the paved policy lets every user read).
    const dave = 'user:default/dave';
    expect((await api(`/requests/${id}/status`, dave)).status).toBe(
      (await api(`/requests/${id}`, dave)).status,
    );
  });

  it('reports no sections for a type without a status hook', async () => {
    const id = await create('without-status', 'plain');
    await ready(id);
    const response = await api(`/requests/${id}/status`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ sections: [] });
  });

  it('answers 404 for an unknown request and 409 before it is ready', async () => {
    expect((await api('/requests/nope/status')).status).toBe(404);
    const id = await create('slow', 'later');
    const response = await api(`/requests/${id}/status`);
    expect(response.status).toBe(409);
    expect(response.body.error.message).toContain('provisioning');
  });
});

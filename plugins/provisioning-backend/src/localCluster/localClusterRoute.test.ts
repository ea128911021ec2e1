import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { notificationService } from '@backstage/plugin-notifications-node';
import request from 'supertest';
import { specErrors } from '../__testUtils__/openApiSpec';
import { provisioningPlugin } from '../plugin';

// No notifications plugin here: the route under test sends none.
const noNotifications = createServiceFactory({
  service: notificationService,
  deps: {},
  factory: () => ({ send: async () => {} }),
});

describe('GET /api/provisioning/local-cluster', () => {
  const dir = createMockDirectory();
  let backend: TestBackend | undefined;

  afterEach(async () => {
    await backend?.stop();
    backend = undefined;
  });

  async function start(config: object) {
    backend = await startTestBackend({
      features: [
        provisioningPlugin,
        mockServices.rootConfig.factory({
          data: { ...config, provisioning: { worker: { enabled: false } } },
        }),
        noNotifications,
      ],
    });
    return backend;
  }

  const get = (server: TestBackend['server'], header: string) =>
    request(server)
      .get('/api/provisioning/local-cluster')
      .set('authorization', header);

  it('serves the status ./paved start writes, as it moves on', async () => {
    const statusFile = dir.resolve('local-cluster.json');
    dir.addContent({
      'local-cluster.json': JSON.stringify({
        state: 'building',
        startedAt: '2026-12-07T10:00:00Z',
        lastBuildSeconds: 412,
        step: 'kube-apiserver (2 of 5)',
      }),
    });
    const { server } = await start({ paved: { localCluster: { statusFile } } });

    const building = await get(server, mockCredentials.user.header());
    expect(building.status).toBe(200);
    expect(building.body).toEqual({
      state: 'building',
      startedAt: '2026-12-07T10:00:00Z',
      lastBuildSeconds: 412,
      step: 'kube-apiserver (2 of 5)',
    });
    expect(specErrors('LocalClusterStatus', building.body)).toEqual([]);

    dir.addContent({
      'local-cluster.json': JSON.stringify({
        state: 'ready',
        startedAt: '2026-12-07T10:00:00Z',
        lastBuildSeconds: 398,
      }),
    });
    const ready = await get(server, mockCredentials.service.header());
    expect(ready.body).toMatchObject({ state: 'ready', lastBuildSeconds: 398 });
  });

  it('says off where there is no local cluster (production)', async () => {
    const { server } = await start({});
    const response = await get(server, mockCredentials.user.header());
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ state: 'off' });
  });

  it('answers only callers who sign in', async () => {
    const { server } = await start({});
    expect((await get(server, mockCredentials.none.header())).status).toBe(401);
  });
});

import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { campaignHarness, component } from './__testUtils__/fakes';
import { createCampaignsRouter } from './createCampaignsRouter';

const platform = mockCredentials.user('user:default/platform');
const developer = mockCredentials.user('user:default/dev');
const auth = (credentials: typeof platform) => ({
  Authorization: mockCredentials.user.header(
    (credentials.principal as { userEntityRef: string }).userEntityRef,
  ),
});

async function startRouter() {
  const h = await campaignHarness([
    component('orders-api'),
    component('billing-api'),
  ]);
  const { server } = await startTestBackend({
    features: [
      mockServices.rootConfig.factory({ data: {} }),
      createBackendPlugin({
        pluginId: 'upgrades',
        register(env) {
          env.registerInit({
            deps: {
              httpRouter: coreServices.httpRouter,
              httpAuth: coreServices.httpAuth,
            },
            async init({ httpRouter, httpAuth }) {
              httpRouter.use(
                createCampaignsRouter({ campaigns: h.service, httpAuth }),
              );
            },
          });
        },
      }),
    ],
  });
  return { ...h, server };
}

const body = {
  title: 'Move to 1.1.0',
  templateRef: 'typescript-service',
  toVersion: '1.1.0',
  deadline: '2027-01-31',
};

describe('createCampaignsRouter', () => {
  it('creates, lists, shows and runs campaigns', async () => {
    const { server } = await startRouter();
    const created = await request(server)
      .post('/api/upgrades/campaigns')
      .set(auth(platform))
      .send(body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      ...body,
      templateRef: 'template:default/typescript-service',
      fromRange: '<1.1.0',
    });

    const list = await request(server)
      .get('/api/upgrades/campaigns')
      .set(auth(developer));
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([
      created.body.id,
    ]);

    const run = await request(server)
      .post(`/api/upgrades/campaigns/${created.body.id}/run`)
      .set(auth(platform));
    expect(run.status).toBe(200);
    expect(run.body.counts).toMatchObject({ total: 2, open: 2 });

    const details = await request(server)
      .get(`/api/upgrades/campaigns/${created.body.id}`)
      .set(auth(developer));
    expect(details.status).toBe(200);
    expect(details.body.targets).toHaveLength(2);
    expect(details.body.progress).toHaveLength(2);
  });

  it('answers 400 naming the field, 403, 404 and 401', async () => {
    const { server, store } = await startRouter();
    const bad = await request(server)
      .post('/api/upgrades/campaigns')
      .set(auth(platform))
      .send({ ...body, deadline: '2020-01-01' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(
      /deadline: 2020-01-01 is in the past/,
    );

    const empty = await request(server)
      .post('/api/upgrades/campaigns')
      .set(auth(platform));
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(
      /title: .*templateRef: .*deadline:/,
    );

    const nul = await request(server)
      .post('/api/upgrades/campaigns')
      .set(auth(platform))
      .send({ ...body, title: 'a\u0000b' });
    expect(nul.status).toBe(400);
    expect(nul.body.error.message).toMatch(/title/);

    const refused = await request(server)
      .post('/api/upgrades/campaigns')
      .set(auth(developer))
      .send(body);
    expect(refused.status).toBe(403);
    expect(await store.list()).toEqual([]);

    const missing = await request(server)
      .get('/api/upgrades/campaigns/nope')
      .set(auth(developer));
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe("No campaign 'nope'");
    expect(
      (
        await request(server)
          .post('/api/upgrades/campaigns/nope/run')
          .set(auth(platform))
      ).status,
    ).toBe(404);

    expect(
      (
        await request(server)
          .get('/api/upgrades/campaigns')
          .set('Authorization', 'Bearer nope')
      ).status,
    ).toBe(401);
  });
});

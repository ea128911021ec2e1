import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { CampaignService } from '../campaigns/CampaignService';
import { DatabaseCampaignStore } from '../campaigns/DatabaseCampaignStore';
import { specErrors } from '../__testUtils__/openApiSpec';
import { setUp } from '../__testUtils__/serviceFixture';
import { createRouter } from './createRouter';

const BOB = 'user:default/bob';
const MALLORY = 'user:default/mallory';

describe('the upgrades router', () => {
  let app: express.Express;
  let fixture: Awaited<ReturnType<typeof setUp>>;

  beforeEach(async () => {
    fixture = await setUp();
    const campaigns = new CampaignService({
      store: DatabaseCampaignStore.create({ knex: fixture.knex }),
      changes: fixture.service,
      templates: fixture.versions,
      catalog: fixture.catalog,
      permissions: fixture.permissions,
      auditor: fixture.auditor,
      notifications: { send: async () => {} },
      logger: mockServices.logger.mock(),
    });
    app = express()
      .use(
        createRouter({
          upgrades: fixture.service,
          campaigns,
          httpAuth: mockServices.httpAuth({
            defaultCredentials: mockCredentials.none(),
          }),
        }),
      )
      .use(mockErrorHandler());
  });

  const as = (user: string) => mockCredentials.user.header(user);
  const get = (path: string, user = BOB) =>
    request(app).get(path).set('authorization', as(user));
  const post = (path: string, body?: object, user = BOB) =>
    request(app).post(path).set('authorization', as(user)).send(body);

  it('serves the upgrade status and the template versions', async () => {
    const status = await get('/entities/component/default/orders-api/upgrade');
    expect(status.status).toBe(200);
    expect(specErrors('UpgradeStatus', status.body)).toEqual([]);
    expect(status.body).toMatchObject({
      available: true,
      latestVersion: '1.1.0',
    });

    const missing = await get('/entities/component/default/nope/upgrade');
    expect(missing.status).toBe(404);

    const versions = await get(
      '/templates/default/typescript-service/versions',
    );
    expect(versions.status).toBe(200);
    expect(specErrors('TemplateVersionList', versions.body)).toEqual([]);
    expect(versions.body.versions.map((v: any) => v.version)).toEqual([
      '1.1.0',
      '1.0.0',
      '0.9.0',
    ]);
    expect((await get('/templates/default/nope/versions')).status).toBe(404);
  });

  it('proposes (201, then 200), lists, diffs, refreshes and merges a change', async () => {
    const created = await post('/changes', {
      entityRef: 'component:default/orders-api',
    });
    expect(created.status).toBe(201);
    expect(specErrors('ChangeRequest', created.body)).toEqual([]);
    const again = await post('/changes', {
      entityRef: 'component:default/orders-api',
      toVersion: '1.1.0',
    });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(created.body.id);

    const { id } = created.body;
    const list = await get(
      '/changes?entityRef=component:default/orders-api&state=open,conflicted',
    );
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: any) => c.id)).toEqual([id]);
    expect((await get('/changes?state=merged')).body.items).toEqual([]);

    expect((await get(`/changes/${id}`)).body).toEqual(created.body);
    const diff = await get(`/changes/${id}/diff`);
    expect(diff.status).toBe(200);
    expect(specErrors('ChangeDiff', diff.body)).toEqual([]);

    expect((await post(`/changes/${id}/refresh`)).body.state).toBe('open');
    expect(
      (await post(`/changes/${id}/merge`, undefined, MALLORY)).status,
    ).toBe(403);
    const merged = await post(`/changes/${id}/merge`);
    expect(merged.status).toBe(200);
    expect(merged.body.state).toBe('merged');
    const twice = await post(`/changes/${id}/merge`);
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toMatch(
      /only an open change can be merged/,
    );
  });

  it('answers 400 naming the field, 403, 404 and 409 saying why', async () => {
    const noRef = await post('/changes', {});
    expect(noRef.status).toBe(400);
    expect(noRef.body.error.message).toMatch(/entityRef/);
    const extra = await post('/changes', {
      entityRef: 'orders-api',
      force: true,
    });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toMatch(/force: is not allowed/);
    const badVersion = await post('/changes', {
      entityRef: 'orders-api',
      toVersion: '7.0.0',
    });
    expect(badVersion.status).toBe(400);
    expect(badVersion.body.error.message).toMatch(
      /toVersion: 7\.0\.0 is not a released version/,
    );
    const badState = await get('/changes?state=open,bogus');
    expect(badState.status).toBe(400);
    expect(badState.body.error.message).toMatch(/state: unknown state bogus/);

    const denied = await post('/changes', { entityRef: 'orders-api' }, MALLORY);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('component:default/orders-api');

    const legacy = await post('/changes', { entityRef: 'legacy' });
    expect(legacy.status).toBe(409);
    expect(legacy.body.error.message).toMatch(
      /made before Paved recorded template answers/,
    );

    for (const path of ['/changes/nope', '/changes/nope/diff']) {
      const res = await get(path);
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe("There is no change request 'nope'");
    }
    for (const action of ['merge', 'close', 'refresh']) {
      expect((await post(`/changes/nope/${action}`)).status).toBe(404);
    }
    expect((await request(app).get('/changes')).status).toBe(401);
  });

  it('mounts the campaigns routes', async () => {
    const list = await get('/campaigns');
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ items: [] });
    expect((await get('/campaigns/nope')).status).toBe(404);
    const invalid = await post('/campaigns', { title: 'Node 22' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(/templateRef/);
  });
});

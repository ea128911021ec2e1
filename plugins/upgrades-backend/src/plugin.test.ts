import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { testDatabaseIds } from '@paved/test-utils';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { upgradesPlugin } from './plugin';

const databases = TestDatabases.create({ ids: testDatabaseIds() });

describe.each(databases.eachSupportedId())(
  'the upgrades plugin on %p',
  databaseId => {
    let backend: TestBackend;
    let directory: string;

    beforeAll(async () => {
      directory = await mkdtemp(join(tmpdir(), 'upgrades-plugin-'));
      const knex = await databases.init(databaseId);
      backend = await startTestBackend({
        features: [
          upgradesPlugin,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              paved: { localRepositories: { directory } },
            },
          }),
          catalogServiceMock.factory({
            entities: [
              {
                apiVersion: 'backstage.io/v1alpha1',
                kind: 'Component',
                metadata: { name: 'orders-api', namespace: 'default' },
                spec: { type: 'service', owner: 'payments-team' },
              },
            ],
          }),
          createServiceFactory({
            service: notificationService,
            deps: {},
            factory: () => ({ send: async () => {} }),
          }),
        ],
      });
    });

    afterAll(async () => {
      await backend?.stop();
      await rm(directory, { recursive: true, force: true });
    });

    const api = (method: 'get' | 'post', path: string) =>
      request(backend.server)
        [method](`/api/upgrades${path}`)
        .set('authorization', mockCredentials.user.header('user:default/bob'));

    it('answers 404 for an unknown change', async () => {
      const res = await api('get', '/changes/nope');
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe("There is no change request 'nope'");
      expect((await api('post', '/changes/nope/merge')).status).toBe(404);
    });

    it('answers 400 naming the field', async () => {
      const res = await api('post', '/changes').send({ toVersion: '1.1.0' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^Invalid request: entityRef: /);
    });

    it('lists changes and campaigns, and explains a component without lineage', async () => {
      expect((await api('get', '/changes')).body).toEqual({ items: [] });
      expect((await api('get', '/campaigns')).body).toEqual({ items: [] });
      const status = await api(
        'get',
        '/entities/component/default/orders-api/upgrade',
      );
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({
        entityRef: 'component:default/orders-api',
        available: false,
      });
      expect(status.body.problem).toBeDefined();
    });
  },
);

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
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
import { LocalRepositories } from '@paved/plugin-local-repositories-node';
import { waitFor } from '@paved/test-utils';
import { catalogModuleLocalRepositories, REFRESH_TASK } from './module';

const CATALOG_INFO = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders-api
  annotations:
    backstage.io/techdocs-ref: dir:.
spec:
  type: service
  lifecycle: experimental
  owner: group:default/checkout-team
`;

/** The real catalog, with this module, reading a real git checkout from disk. */
describe('catalog module local-repositories', () => {
  let root: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let repositories: LocalRepositories;
  // Runs scheduled tasks when triggered, so the test says when the folder is listed.
  const scheduler = mockServices.scheduler();

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-local-repos-'));
    repositories = new LocalRepositories(path.join(root, 'repositories'));
    backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleLocalRepositories,
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
        mockServices.rootConfig.factory({
          data: {
            paved: { localRepositories: { directory: repositories.directory } },
            catalog: { processingInterval: { seconds: 1 } },
          },
        }),
      ],
    });
  });
  afterAll(async () => {
    await backend?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  const getEntity = () =>
    request(backend.server)
      .get('/api/catalog/entities/by-name/component/default/orders-api')
      .set('authorization', mockCredentials.user.header());

  it('puts a checked-out repository in the catalog, and takes it out when the checkout goes', async () => {
    const workspace = path.join(root, 'workspace');
    await fs.mkdir(workspace);
    await fs.writeFile(path.join(workspace, 'catalog-info.yaml'), CATALOG_INFO);
    await repositories.publish({
      name: 'orders-api',
      sourceDir: workspace,
      createdBy: 't',
    });

    // Published but not checked out: not in the catalog.
    await scheduler.triggerTask(REFRESH_TASK);
    expect((await getEntity()).status).toBe(404);

    await repositories.checkout('orders-api');
    await scheduler.triggerTask(REFRESH_TASK);
    const entity = await waitFor(
      'orders-api in the catalog',
      async () => {
        const response = await getEntity();
        return response.status === 200 ? response.body : undefined;
      },
      { timeoutMs: 60_000 },
    );
    // A file location, so TechDocs resolves dir:. in the checkout.
    expect(
      entity.metadata.annotations['backstage.io/managed-by-location'],
    ).toBe(`file:${repositories.catalogInfoPath('orders-api')}`);

    await repositories.removeCheckout('orders-api');
    await scheduler.triggerTask(REFRESH_TASK);
    await waitFor(
      'the location of orders-api removed',
      async () => {
        const response = await request(backend.server)
          .get('/api/catalog/entities/by-query?filter=kind=location')
          .set('authorization', mockCredentials.user.header());
        return (
          response.body.items.every(
            (location: { spec: { target: string } }) =>
              !location.spec.target.includes('orders-api'),
          ) || undefined
        );
      },
      { timeoutMs: 30_000 },
    );
  }, 120_000);
});

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { waitFor } from '@paved/test-utils';
import { catalogModuleRelativeSourceLocations } from './module';

const entityFile = (
  name: string,
  sourceLocation: string,
) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
    backstage.io/source-location: ${sourceLocation}
    backstage.io/techdocs-ref: dir:.
spec:
  type: service
  lifecycle: production
  owner: group:default/checkout-team
`;

/** The real catalog, with this module, reading entity files from disk. */
describe('catalog module relative-source-locations', () => {
  let root: string;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'paved-relative-sources-'));
    await fs.mkdir(path.join(root, 'cart-service'));
    await fs.writeFile(
      path.join(root, 'cart-service', 'catalog-info.yaml'),
      entityFile('cart-service', 'file:./catalog-info.yaml'),
    );
    await fs.writeFile(
      path.join(root, 'ledger.yaml'),
      entityFile('ledger', 'url:https://git.example.com/payments/ledger/'),
    );
    await fs.writeFile(
      path.join(root, 'all.yaml'),
      `apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: sample
spec:
  targets:
    - ./cart-service/catalog-info.yaml
    - ./ledger.yaml
`,
    );
    backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleRelativeSourceLocations,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Component', 'Location'] }],
              locations: [
                { type: 'file', target: path.join(root, 'all.yaml') },
              ],
              processingInterval: { seconds: 1 },
            },
          },
        }),
      ],
    });
  });
  afterAll(async () => {
    await backend?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  function annotationsOf(name: string): Promise<Record<string, string>> {
    return waitFor(`${name} in the catalog`, async () => {
      const res = await request(backend.server)
        .get(`/api/catalog/entities/by-name/component/default/${name}`)
        .set('authorization', mockCredentials.user.header());
      return res.status === 200 && res.body.metadata.annotations;
    });
  }

  it('resolves a file:./ source location against the entity file, wherever the backend runs', async () => {
    const annotations = await annotationsOf('cart-service');
    expect(annotations['backstage.io/source-location']).toBe(
      `file:${path.join(root, 'cart-service', 'catalog-info.yaml')}`,
    );
  });

  it('leaves other source locations as they are', async () => {
    const annotations = await annotationsOf('ledger');
    expect(annotations['backstage.io/source-location']).toBe(
      'url:https://git.example.com/payments/ledger/',
    );
  });
});

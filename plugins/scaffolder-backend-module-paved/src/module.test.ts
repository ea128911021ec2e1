import request from 'supertest';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { scaffolderModulePaved } from './module';

const base64 = (text: string) => Buffer.from(text).toString('base64');

/** A minimal golden path: render a skeleton, then record lineage. */
const template = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name: 'tiny-service',
    annotations: { 'paved.dev/template-version': '2.1.0' },
  },
  spec: {
    owner: 'group:default/platform-team',
    type: 'service',
    parameters: [
      {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' } },
      },
    ],
    steps: [
      {
        id: 'fetch',
        action: 'fetch:template',
        input: {
          url: './skeleton',
          values: { name: '${{ parameters.name }}' },
        },
      },
      { id: 'lineage', action: 'paved:catalog:lineage' },
    ],
  },
};

describe('the paved scaffolder module in the real scaffolder', () => {
  it('records lineage during a dry run of a template', async () => {
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModulePaved,
        catalogServiceMock.factory({ entities: [] }),
      ],
    });

    const response = await request(backend.server)
      .post('/api/scaffolder/v2/dry-run')
      .set('authorization', mockCredentials.user.header())
      .send({
        template,
        values: { name: 'orders-api' },
        directoryContents: [
          {
            path: 'skeleton/catalog-info.yaml',
            base64Content: base64(
              'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.name }}\nspec:\n  type: service\n',
            ),
          },
        ],
      });

    expect(response.status).toBe(200);
    const catalogInfo = response.body.directoryContents.find(
      (file: { path: string }) => file.path === 'catalog-info.yaml',
    );
    const text = Buffer.from(catalogInfo.base64Content, 'base64').toString();
    expect(text).toContain('name: orders-api');
    // A dry run names its template `template:default/dry-run`; lineage names the
    // submitted template from its metadata instead (upgrades render through dry
    // runs), and the version is the submitted template's own.
    expect(text).toContain('paved.dev/template: template:default/tiny-service');
    expect(text).toContain('paved.dev/template-version: 2.1.0');
    await backend.stop();
  }, 60_000);
});

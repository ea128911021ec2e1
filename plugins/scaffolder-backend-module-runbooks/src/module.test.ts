import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { scaffolderModuleRunbooks } from './module';

describe('scaffolderModuleRunbooks', () => {
  it('starts without Kubernetes configured and registers every runbook action', async () => {
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleRunbooks,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    try {
      const response = await request(backend.server)
        .get('/api/scaffolder/v2/actions')
        .set('authorization', mockCredentials.user.header());
      const ids = response.body.map((action: { id: string }) => action.id);
      expect(ids).toEqual(
        expect.arrayContaining([
          'paved:runbook:authorize',
          'paved:kubernetes:rollout-restart',
          'paved:kubernetes:scale',
          'paved:kubernetes:rollback',
          'paved:kubernetes:diagnostics',
          'paved:database:rotate-credentials',
          'paved:database:terminate-queries',
          'paved:environment:extend',
        ]),
      );
    } finally {
      await backend.stop();
    }
  });
});

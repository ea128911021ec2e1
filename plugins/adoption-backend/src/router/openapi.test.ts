import { mockServices } from '@backstage/backend-test-utils';
import {
  documentedRoutes,
  servedRoutes,
  undocumentedErrorStatuses,
} from '@paved/test-utils';
import { openApiSpec, specErrors } from '../__testUtils__/openApiSpec';
import { createRouter } from './createRouter';

describe('the OpenAPI document', () => {
  it('describes exactly the routes the router serves', () => {
    const router = createRouter({
      ingestion: {} as any,
      dashboard: {} as any,
      survey: {} as any,
      refreshRollups: async () => ({ days: 0 }),
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      auditor: mockServices.auditor.mock(),
    });
    expect(servedRoutes(router)).toEqual(documentedRoutes(openApiSpec));
  });

  it('lists every error status the routes can answer', () => {
    expect(undocumentedErrorStatuses(openApiSpec)).toEqual([]);
  });

  it('has a batch schema that agrees with the validation', () => {
    const batch = {
      batchId: '6f1c0a52-7d1e-4a39-9a55-3b0b9f2c1d11',
      events: [
        {
          action: 'navigate',
          subject: '/catalog',
          context: { pluginId: 'catalog', routeRef: 'catalog:index' },
          timestamp: '2026-11-26T03:00:00.000Z',
        },
      ],
    };
    expect(specErrors('AnalyticsBatch', batch)).toEqual([]);
    expect(specErrors('AnalyticsBatch', { ...batch, events: [] })).not.toEqual(
      [],
    );
  });
});

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
      incidents: {} as any,
      httpAuth: mockServices.httpAuth(),
      auditor: mockServices.auditor.mock(),
      usage: { record: async () => {} },
    });
    expect(servedRoutes(router)).toEqual(documentedRoutes(openApiSpec));
  });

  it('lists every error status the routes can answer', () => {
    expect(undocumentedErrorStatuses(openApiSpec)).toEqual([]);
  });

  it('has schemas that accept what the API returns', () => {
    const incident = {
      id: '1',
      entityRef: 'component:default/orders-api',
      owner: 'group:default/payments-team',
      severity: 'sev2',
      status: 'investigating',
      summary: 'Checkout fails',
      openedBy: 'user:default/bob',
      openedAt: new Date().toISOString(),
    };
    expect(specErrors('Incident', incident)).toEqual([]);
    expect(
      specErrors('Incident', { ...incident, severity: 'sev9' }),
    ).not.toEqual([]);
  });
});

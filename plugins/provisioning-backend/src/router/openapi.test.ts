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
      requests: {} as any,
      approvals: {} as any,
      operations: {} as any,
      expiry: {} as any,
      httpAuth: mockServices.httpAuth(),
      auditor: mockServices.auditor.mock(),
      usage: { record: async () => {} },
      localCluster: { read: async () => ({ state: 'off' }) },
    });
    expect(servedRoutes(router)).toEqual(documentedRoutes(openApiSpec));
  });

  it('lists every error status the routes can answer', () => {
    expect(undocumentedErrorStatuses(openApiSpec)).toEqual([]);
  });

  it('has schemas that accept what the API returns', () => {
    expect(
      specErrors('Request', {
        id: '1',
        type: 'fake',
        name: 'x',
        owner: 'group:default/a',
        parameters: {},
        state: 'ready',
        outputs: {},
        createdBy: 'user:default/bob',
        createdAt: new Date().toISOString(),
        updatedAt: new Date().toISOString(),
      }),
    ).toEqual([]);
    expect(specErrors('Request', { id: '1', state: 'done' })).not.toEqual([]);
    expect(
      specErrors('LocalClusterStatus', {
        state: 'building',
        startedAt: '2026-12-07T10:00:00Z',
        lastBuildSeconds: 412,
        step: 'kube-apiserver (2 of 5)',
      }),
    ).toEqual([]);
    expect(specErrors('LocalClusterStatus', { state: 'done' })).not.toEqual([]);
  });
});

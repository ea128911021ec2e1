import { mockServices } from '@backstage/backend-test-utils';
import {
  documentedRoutes,
  servedRoutes,
  undocumentedErrorStatuses,
} from '@paved/test-utils';
import { createCampaignsRouter } from '../campaigns/createCampaignsRouter';
import { openApiSpec, specErrors } from '../__testUtils__/openApiSpec';
import { createRouter } from './createRouter';

describe('the OpenAPI document', () => {
  it('describes exactly the routes the router serves', () => {
    const httpAuth = mockServices.httpAuth();
    // the campaigns' routes are a router of their own, mounted by createRouter
    const served = [
      ...servedRoutes(
        createRouter({ upgrades: {} as any, campaigns: {} as any, httpAuth }),
      ),
      ...servedRoutes(
        createCampaignsRouter({ campaigns: {} as any, httpAuth }),
      ),
    ].sort();
    expect(served).toEqual(documentedRoutes(openApiSpec));
  });

  it('lists every error status the routes can answer', () => {
    expect(undocumentedErrorStatuses(openApiSpec)).toEqual([]);
  });

  it('has schemas that refuse what the API never returns', () => {
    const change = {
      id: '1',
      entityRef: 'component:default/orders-api',
      target: 'local',
      repository: 'orders-api',
      templateRef: 'template:default/typescript-service',
      fromVersion: '1.0.0',
      toVersion: '1.1.0',
      branch: 'paved/upgrade-typescript-service-1.1.0',
      state: 'open',
      title: 'Upgrade typescript-service 1.0.0 → 1.1.0',
      files: [],
      conflicts: [],
      createdBy: 'user:default/bob',
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    };
    expect(specErrors('ChangeRequest', change)).toEqual([]);
    expect(
      specErrors('ChangeRequest', { ...change, state: 'done' }),
    ).not.toEqual([]);
  });
});

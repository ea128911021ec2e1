import { mockServices } from '@backstage/backend-test-utils';
import {
  documentedRoutes,
  loadOpenApiSpec,
  servedRoutes,
  undocumentedErrorStatuses,
} from '@paved/test-utils';
import { resolve } from 'node:path';
import { createRouter } from './createRouter';

const { openApiSpec } = loadOpenApiSpec(
  resolve(__dirname, '../schema/openapi.yaml'),
);

describe('the OpenAPI document', () => {
  it('describes exactly the routes the router serves', () => {
    const router = createRouter({
      runbooks: {} as any,
      httpAuth: mockServices.httpAuth(),
      auditor: mockServices.auditor.mock(),
      usage: { record: async () => {} },
    });
    expect(servedRoutes(router)).toEqual(documentedRoutes(openApiSpec));
  });

  it('lists every error status the routes can answer', () => {
    expect(undocumentedErrorStatuses(openApiSpec)).toEqual([]);
  });
});

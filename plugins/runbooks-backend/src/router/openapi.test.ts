import { mockServices } from '@backstage/backend-test-utils';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { createRouter } from './createRouter';

const openApiSpec = parse(
  readFileSync(resolve(__dirname, '../schema/openapi.yaml'), 'utf8'),
);

describe('the OpenAPI document', () => {
  it('describes exactly the routes the router serves', () => {
    const router = createRouter({
      runbooks: {} as any,
      httpAuth: mockServices.httpAuth(),
      auditor: mockServices.auditor.mock(),
      usage: { record: async () => {} },
    });
    const served = (router.stack as any[])
      .filter(layer => layer.route)
      .flatMap(layer =>
        Object.keys(layer.route.methods).map(
          method =>
            `${method.toUpperCase()} ${layer.route.path.replace(
              /:(\w+)/g,
              '{$1}',
            )}`,
        ),
      )
      .sort();
    const documented = Object.entries(
      openApiSpec.paths as Record<string, object>,
    )
      .flatMap(([path, item]) =>
        Object.keys(item)
          .filter(key =>
            ['get', 'post', 'put', 'patch', 'delete'].includes(key),
          )
          .map(method => `${method.toUpperCase()} ${path}`),
      )
      .sort();
    expect(served).toEqual(documented);
  });
});

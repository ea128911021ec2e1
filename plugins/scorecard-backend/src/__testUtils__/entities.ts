import { Entity } from '@backstage/catalog-model';

/** A component with the relations the catalog would have stitched. */
export function component(
  name: string,
  options: {
    owner?: string;
    description?: string;
    lifecycle?: string;
    system?: string;
    annotations?: Record<string, string>;
    links?: { url: string; title?: string; type?: string }[];
    providesApis?: string[];
    resources?: string[];
    etag?: string;
  } = {},
): Entity {
  const relations = [
    ...(options.owner
      ? [{ type: 'ownedBy', targetRef: `group:default/${options.owner}` }]
      : []),
    ...(options.providesApis ?? []).map(a => ({
      type: 'providesApi',
      targetRef: `api:default/${a}`,
    })),
    ...(options.resources ?? []).map(r => ({
      type: 'dependsOn',
      targetRef: `resource:default/${r}`,
    })),
  ];
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      etag: options.etag ?? 'e1',
      description: options.description,
      annotations: options.annotations ?? {},
      links: options.links,
    },
    spec: {
      type: 'service',
      lifecycle: options.lifecycle ?? 'production',
      owner: options.owner,
      system: options.system,
    },
    relations,
  };
}

export const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});

export const api = (name: string, definition?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: { name, namespace: 'default' },
  spec: {
    type: 'openapi',
    lifecycle: 'production',
    owner: 'team-a',
    definition,
  },
});

export const resource = (name: string, selfService: boolean): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name,
    namespace: 'default',
    annotations: selfService
      ? { 'paved.dev/provisioning-request': `req-${name}` }
      : {},
  },
  spec: { type: 'database', owner: 'team-a' },
});

export const template = (
  name: string,
  version: string,
  type = 'service',
): Entity => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'paved.dev/template-version': version },
  },
  spec: { type },
});

/** Everything a level-3 component of the default track (without Kubernetes) has. */
export const level3 = (name: string, owner = 'team-a', etag = 'e1') =>
  component(name, {
    owner,
    etag,
    description: 'Takes orders',
    system: 'shop',
    annotations: {
      'backstage.io/source-location': 'url:https://git.example.com/x',
      'backstage.io/techdocs-ref': 'dir:.',
      'paved.dev/template': 'template:default/service',
      'paved.dev/template-version': '1.0.0',
    },
    providesApis: ['orders'],
    resources: [`${name}-db`],
  });

/** A small catalog: team-a's level-3 orders, team-b's level-1 search, an ad hoc one. */
export function sampleCatalog(): Entity[] {
  return [
    group('team-a'),
    group('team-b'),
    api('orders', 'openapi: 3.0.0'),
    api('search-api'),
    resource('orders-db', true),
    resource('search-db', false),
    template('service', '2.0.0'),
    level3('orders'),
    component('search', {
      owner: 'team-b',
      description: 'Finds things',
      annotations: {
        'backstage.io/source-location': 'url:https://git.example.com/s',
        'backstage.io/techdocs-ref': 'dir:.',
      },
      providesApis: ['search-api'],
      resources: ['search-db'],
    }),
    component('legacy', { owner: 'ghost-team' }),
  ];
}

import { Entity } from '@backstage/catalog-model';

const user = (name: string, team: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: { memberOf: [team] },
  relations: [{ type: 'memberOf', targetRef: `group:default/${team}` }],
});

/** Group memberships of the users the tests act as. */
export const MEMBERSHIPS: Record<string, string[]> = {
  'user:default/alice': ['group:default/platform-team'],
  'user:default/bob': ['group:default/payments-team'],
  'user:default/carol': ['group:default/payments-team'],
  'user:default/dave': ['group:default/payments-team'],
  'user:default/erin': ['group:default/orders-team'],
};

/** The catalog the tests run against: people, two templates, some components. */
export const ENTITIES: Entity[] = [
  ...Object.entries(MEMBERSHIPS).map(([ref, [team]]) =>
    user(ref.split('/')[1], team.split('/')[1]),
  ),
  {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: {
      name: 'node-service',
      namespace: 'default',
      title: 'Node.js service',
      annotations: { 'backstage.io/time-saved': 'PT2H' },
    },
    spec: {},
  },
  {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'postgres-database', namespace: 'default' },
    spec: {},
  },
  ...['a', 'b', 'c'].map(
    (name): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: `svc-${name}`,
        namespace: 'default',
        annotations:
          name === 'c'
            ? {}
            : { 'paved.dev/template': 'template:default/node-service' },
      },
      spec: {
        type: 'service',
        owner: 'payments-team',
        lifecycle: 'production',
      },
    }),
  ),
];

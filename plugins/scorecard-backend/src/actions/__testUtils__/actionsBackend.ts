import {
  BackstageCredentials,
  BackendFeature,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  catalogServiceRef,
  CatalogService,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { pavedPolicyPermissions } from '@paved/test-utils';
import request from 'supertest';
import { component, group, sampleCatalog } from '../../__testUtils__/entities';
import { scorecardPlugin } from '../../plugin';

export const ALICE = 'user:default/alice'; // platform-team: an admin in Paved's policy
export const BOB = 'user:default/bob'; // team-a
export const APP_BASE_URL = 'https://portal.example.com';

/** Entities only ALICE may read (as a catalog permission rule would hide them). */
export const HIDDEN_FROM_BOB = [
  component('vault', { owner: 'team-a', description: 'Secrets' }),
  group('team-secret'),
];

const user = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: {},
});

/** The ownedBy relation the catalog stitches from spec.owner (the fixtures leave some out). */
function withOwnedBy(entity: Entity): Entity {
  const owner = entity.spec?.owner;
  const relations = entity.relations ?? [];
  if (typeof owner !== 'string' || relations.some(r => r.type === 'ownedBy')) {
    return entity;
  }
  return {
    ...entity,
    relations: [
      ...relations,
      {
        type: 'ownedBy',
        targetRef: stringifyEntityRef(
          parseEntityRef(owner, { defaultKind: 'group' }),
        ),
      },
    ],
  };
}

/**
 * The catalog as each caller sees it: the in-memory mock ignores credentials, so
 * this answers BOB from a catalog without the entities hidden from him, as the real
 * catalog does with its permission rules. Everyone else (the evaluator's service
 * credentials included) sees all.
 */
function visibilityCatalog(extra: Entity[]) {
  const all = [
    ...sampleCatalog(),
    ...extra,
    ...HIDDEN_FROM_BOB,
    ...['alice', 'bob'].map(user),
  ].map(withOwnedBy);
  const hidden = new Set(HIDDEN_FROM_BOB.map(e => stringifyEntityRef(e)));
  const full = catalogServiceMock({ entities: all });
  const forBob = catalogServiceMock({
    entities: all.filter(e => !hidden.has(stringifyEntityRef(e))),
  });
  const pick = (options?: { credentials?: BackstageCredentials }) =>
    (options?.credentials?.principal as { userEntityRef?: string })
      ?.userEntityRef === BOB
      ? forBob
      : full;
  const service = new Proxy({} as CatalogService, {
    get: (_target, method: string) =>
      // Only the catalog's methods: `then` and the like stay undefined.
      typeof (full as any)[method] === 'function'
        ? (req: unknown, options?: { credentials?: BackstageCredentials }) =>
            (pick(options) as any)[method](req, options)
        : undefined,
  });
  return createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () => service,
  });
}

const SCORECARD_CONFIG = {
  providers: { techdocs: { enabled: false }, incidents: { enabled: false } },
  schedule: {
    full: {
      frequency: { hours: 24 },
      timeout: { minutes: 1 },
      initialDelay: { hours: 24 },
    },
    incremental: {
      frequency: { hours: 24 },
      timeout: { minutes: 1 },
      initialDelay: { hours: 24 },
    },
  },
};

/**
 * The scorecard plugin with the real Actions Registry, over the sample catalog,
 * every entity scored; actions are invoked over HTTP as the MCP server would.
 */
export async function startActionsBackend(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
  options: {
    config?: object;
    features?: BackendFeature[];
    /** More catalog entities (everyone may see them). */
    entities?: Entity[];
  } = {},
) {
  const knex = await databases.init(databaseId);
  const backend = await startTestBackend({
    features: [
      scorecardPlugin,
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: APP_BASE_URL },
          scorecard: SCORECARD_CONFIG,
          ...options.config,
        },
      }),
      mockServices.database.factory({ knex }),
      visibilityCatalog(options.entities ?? []),
      pavedPolicyPermissions({
        [ALICE]: ['group:default/platform-team'],
        [BOB]: ['group:default/team-a'],
      }),
    ],
  });
  const evaluated = await request(backend.server)
    .post('/api/scorecard/evaluate')
    .set('Authorization', mockCredentials.user.header(ALICE))
    .send({});
  if (evaluated.status !== 200) {
    throw new Error(`evaluate: ${evaluated.status} ${evaluated.text}`);
  }
  const invoke = (caller: string, name: string, input: object) =>
    request(backend.server)
      .post(
        `/api/scorecard/.backstage/actions/v1/actions/scorecard:${name}/invoke`,
      )
      .set('Authorization', mockCredentials.user.header(caller))
      .send(input);
  return { backend, invoke };
}

import path from 'node:path';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { testDatabaseIds, waitFor } from '@paved/test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import pavedPolicyModule, {
  PavedPermissionPolicy,
} from '@paved/plugin-permission-backend-module-paved-policy';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { catalogEntityDeletePermission } from '@backstage/plugin-catalog-common/alpha';
import { readSampleEntities } from './__testUtils__/readSampleEntities';

const ROOT = path.resolve(__dirname, '../../..');

/** Group memberships of the sample users this test acts as. */
const MEMBERSHIPS: Record<string, string[]> = {
  'user:default/bob': ['group:default/payments-team'],
  'user:default/alice': ['group:default/platform-team'],
};

const databases = TestDatabases.create({ ids: testDatabaseIds() });

async function startPortalBackend(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  return startTestBackend({
    features: [
      catalogPlugin,
      permissionPlugin,
      pavedPolicyModule,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          paved: {
            permissions: { adminGroups: ['group:default/platform-team'] },
          },
          catalog: {
            rules: [
              {
                allow: [
                  'Component',
                  'System',
                  'API',
                  'Resource',
                  'Location',
                  'Domain',
                  'Group',
                  'User',
                ],
              },
            ],
            locations: [
              { type: 'file', target: path.join(ROOT, 'catalog-info.yaml') },
              {
                type: 'file',
                target: path.join(ROOT, 'examples/org/all.yaml'),
              },
            ],
            processingInterval: { seconds: 1 },
          },
        },
      }),
    ],
  });
}

async function waitForEntities(
  server: Parameters<typeof request>[0],
  expected: Entity[],
) {
  const wanted = expected.map(entity => stringifyEntityRef(entity));
  return waitFor(
    `${wanted.length} entities ingested, with their relations`,
    async () => {
      const response = await request(server)
        .get('/api/catalog/entities/by-query?limit=1000')
        .set('authorization', mockCredentials.service.header());
      if (response.status !== 200) {
        throw new Error(
          `catalog answered ${response.status}: ${JSON.stringify(
            response.body,
          )}`,
        );
      }
      const items = response.body.items as Entity[];
      // Every sample entity, not just as many entities: the catalog's own Location
      // entities count too. Relations are written after an entity's first
      // processing; wait for both.
      const present = new Set(items.map(e => stringifyEntityRef(e)));
      const done =
        wanted.every(ref => present.has(ref)) &&
        items.every(
          e => (e.relations ?? []).length > 0 || e.kind === 'Location',
        );
      return done ? items : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
}

describe.each(databases.eachSupportedId())(
  'the sample organization on %p',
  databaseId => {
    const expected = readSampleEntities(ROOT);

    it('is ingested whole, with no processing errors and no dangling relations', async () => {
      const backend = await startPortalBackend(databaseId);
      const { server } = backend;
      try {
        const items = await waitForEntities(server, expected);
        const refs = new Set(items.map(e => stringifyEntityRef(e)));
        // The catalog adds Location entities for the two configured file targets.
        for (const entity of expected) {
          expect(refs).toContain(stringifyEntityRef(entity));
        }
        const kinds = (kind: string) =>
          items.filter(e => e.kind === kind).length;
        expect(kinds('Group')).toBeGreaterThanOrEqual(5);
        expect(kinds('User')).toBeGreaterThanOrEqual(10);
        expect(kinds('Domain')).toBeGreaterThanOrEqual(2);
        expect(kinds('System')).toBeGreaterThanOrEqual(4);
        expect(kinds('Component')).toBeGreaterThanOrEqual(12);
        expect(kinds('API')).toBeGreaterThanOrEqual(4);
        expect(kinds('Resource')).toBeGreaterThanOrEqual(3);

        for (const entity of items) {
          const errors =
            (entity as { status?: { items?: unknown[] } }).status?.items ?? [];
          expect({ entity: stringifyEntityRef(entity), errors }).toEqual({
            entity: stringifyEntityRef(entity),
            errors: [],
          });
          for (const relation of entity.relations ?? []) {
            expect({
              from: stringifyEntityRef(entity),
              to: relation.targetRef,
              found: refs.has(relation.targetRef),
            }).toEqual({
              from: stringifyEntityRef(entity),
              to: relation.targetRef,
              found: true,
            });
          }
        }
      } finally {
        await backend.stop();
      }
    }, 120_000);

    it('lets owners and the platform team unregister entities, and nobody else', async () => {
      const backend = await startPortalBackend(databaseId);
      const { server } = backend;
      try {
        await waitForEntities(server, expected);
        // The Paved policy answers "only owners" as a condition; the real catalog then
        // applies that condition to the stored entity, as it does for a real delete.
        // (The permission backend's own round trip needs real on-behalf-of tokens,
        // which the test backend's mock auth does not issue.)
        const policy = new PavedPermissionPolicy(
          new Set(['group:default/platform-team']),
        );
        const mayDelete = async (user: string, entityRef: string) => {
          const ownershipEntityRefs = [user, ...(MEMBERSHIPS[user] ?? [])];
          const decision = await policy.handle(
            { permission: catalogEntityDeletePermission },
            {
              info: { userEntityRef: user, ownershipEntityRefs },
            } as unknown as PolicyQueryUser,
          );
          if (decision.result !== AuthorizeResult.CONDITIONAL) {
            return decision.result;
          }
          const response = await request(server)
            .post(
              '/api/catalog/.well-known/backstage/permissions/apply-conditions',
            )
            .set('authorization', mockCredentials.service.header())
            .send({
              items: [
                {
                  id: '1',
                  resourceRef: entityRef,
                  resourceType: decision.resourceType,
                  conditions: decision.conditions,
                },
              ],
            });
          if (response.status !== 200) {
            throw new Error(
              `apply-conditions answered ${response.status}: ${JSON.stringify(
                response.body,
              )}`,
            );
          }
          return response.body.items[0].result;
        };

        // bob is in payments-team, which owns payments-api but not checkout-service.
        expect(
          await mayDelete('user:default/bob', 'component:default/payments-api'),
        ).toBe('ALLOW');
        expect(
          await mayDelete(
            'user:default/bob',
            'component:default/checkout-service',
          ),
        ).toBe('DENY');
        // alice is in the platform team, an admin group.
        expect(
          await mayDelete(
            'user:default/alice',
            'component:default/checkout-service',
          ),
        ).toBe('ALLOW');
      } finally {
        await backend.stop();
      }
    }, 120_000);
  },
);

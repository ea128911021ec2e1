import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplates from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import { randomBytes } from 'node:crypto';
import {
  pavedPolicyPermissions,
  testDatabaseIds,
  waitFor,
} from '@paved/test-utils';
import path from 'node:path';
import request from 'supertest';
import { scorecardPlugin } from './plugin';

const ALICE = 'user:default/alice';
const as = { Authorization: mockCredentials.user.header(ALICE) };

/**
 * The catalog, lineage and provisioning providers against the real catalog backend
 * (entities from a file location, relations stitched by the catalog itself).
 */
const databases = TestDatabases.create({ ids: testDatabaseIds() });

describe.each(databases.eachSupportedId())(
  'the scorecard on the real catalog on %p',
  databaseId => {
    it('derives facts from stitched relations: owners, APIs, resources, templates, runbooks', async () => {
      // Each plugin gets its own database, as in the real backend.
      const connection =
        databaseId === 'SQLITE_3'
          ? { client: 'better-sqlite3', connection: ':memory:' }
          : {
              client: 'pg',
              connection:
                process.env
                  .BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING,
              prefix: `sc_${randomBytes(4).toString('hex')}_`,
            };
      const backend = await startTestBackend({
        features: [
          catalogPlugin,
          catalogModuleTemplates,
          scorecardPlugin,
          databaseServiceFactory,
          pavedPolicyPermissions({ [ALICE]: ['group:default/platform-team'] }),
          mockServices.rootConfig.factory({
            data: {
              backend: { database: connection },
              catalog: {
                processingInterval: { seconds: 1 },
                rules: [
                  {
                    allow: [
                      'Component',
                      'API',
                      'Group',
                      'System',
                      'Resource',
                      'Template',
                    ],
                  },
                ],
                locations: [
                  {
                    type: 'file',
                    target: path.resolve(
                      __dirname,
                      '__fixtures__/catalog.yaml',
                    ),
                  },
                ],
              },
              scorecard: {
                providers: {
                  techdocs: { enabled: false },
                  incidents: { enabled: false },
                },
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
              },
            },
          }),
        ],
      });
      const server = backend.server;
      try {
        // Wait until the catalog has stitched the relations the providers read.
        await waitFor(
          'orders with its relations',
          async () => {
            const res = await request(server)
              .get('/api/catalog/entities/by-name/component/default/orders')
              .set(as);
            const types = (res.body?.relations ?? []).map((r: any) => r.type);
            return (
              ['ownedBy', 'providesApi', 'dependsOn'].every(t =>
                types.includes(t),
              ) || undefined
            );
          },
          { timeoutMs: 60_000 },
        );
        await waitFor(
          'legacy with its resource',
          async () => {
            const res = await request(server)
              .get('/api/catalog/entities/by-name/component/default/legacy')
              .set(as);
            return (
              (res.body?.relations ?? []).some(
                (r: any) => r.type === 'dependsOn',
              ) || undefined
            );
          },
          { timeoutMs: 60_000 },
        );
        await waitFor(
          'the templates',
          async () => {
            const res = await request(server)
              .get('/api/catalog/entities/by-query?filter=kind=template')
              .set(as);
            return res.body?.items?.length === 2 || undefined;
          },
          { timeoutMs: 60_000 },
        );
        const evaluated = await request(server)
          .post('/api/scorecard/evaluate')
          .set(as)
          .send({});
        expect(evaluated.body).toMatchObject({ evaluated: 2 });

        const card = async (name: string) => {
          const res = await request(server)
            .get(
              `/api/scorecard/entities/component:default%2F${name}/scorecard`,
            )
            .set(as);
          const track = res.body.tracks[0];
          return {
            level: track.level,
            failing: track.checks
              .filter((c: any) => !c.passed)
              .map((c: any) => c.checkId),
          };
        };
        expect(await card('orders')).toEqual({ level: 5, failing: [] });
        expect(await card('legacy')).toEqual({
          level: 0,
          failing: [
            'has-owner',
            'has-description',
            'has-system',
            'has-source-location',
            'has-techdocs',
            'from-golden-path',
            'self-service-infrastructure',
            'latest-template-version',
            'observability',
            'runbook',
            'on-call',
          ],
        });
      } finally {
        await backend.stop();
      }
    }, 90_000);
  },
);

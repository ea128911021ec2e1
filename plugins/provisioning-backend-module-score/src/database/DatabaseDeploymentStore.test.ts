import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { testDatabaseIds } from '@paved/test-utils';
import { resolve } from 'node:path';
import {
  DatabaseDeploymentStore,
  MIGRATIONS_TABLE,
} from './DatabaseDeploymentStore';
import { NewDeployment } from './DeploymentStore';

const databases = TestDatabases.create({ ids: testDatabaseIds() });

const deployment = (overrides: Partial<NewDeployment> = {}): NewDeployment => ({
  component: 'component:default/orders',
  owner: 'group:default/payments-team',
  environment: 'orders-dev',
  stage: 'development',
  workload: 'orders',
  requestId: 'r1',
  operationId: 'o1',
  kind: 'deploy',
  image: 'ghcr.io/acme/orders:1.0.0',
  gitRef: 'abc123',
  commitTime: '2026-11-20T09:00:00.000Z',
  createdBy: 'user:default/bob',
  spec: {
    apiVersion: 'score.dev/v1b1',
    metadata: { name: 'orders' },
    containers: { main: { image: '.' } },
  },
  ...overrides,
});

describe.each(databases.eachSupportedId())(
  'DatabaseDeploymentStore on %p',
  id => {
    async function store() {
      const knex = await databases.init(id);
      return {
        knex,
        store: await DatabaseDeploymentStore.create({
          database: mockServices.database({ knex }),
        }),
      };
    }

    it("migrates up and down with its own migrations table, beside the plugin's", async () => {
      const knex = await databases.init(id);
      // The provisioning plugin's migrations, recorded in knex's default table.
      await knex.migrate.latest({
        directory: resolve(
          require.resolve('@paved/plugin-provisioning-backend/package.json'),
          '../migrations',
        ),
      });
      await DatabaseDeploymentStore.create({
        database: mockServices.database({ knex }),
      });
      expect(await knex.schema.hasTable('workload_deployments')).toBe(true);
      expect(await knex.schema.hasTable(MIGRATIONS_TABLE)).toBe(true);
      // Both sets of migrations still run: neither sees the other's as missing.
      await DatabaseDeploymentStore.create({
        database: mockServices.database({ knex }),
      });
      await knex.migrate.latest({
        directory: resolve(
          require.resolve('@paved/plugin-provisioning-backend/package.json'),
          '../migrations',
        ),
      });
      await knex.migrate.rollback(
        {
          directory: resolve(__dirname, '../../migrations'),
          tableName: MIGRATIONS_TABLE,
        },
        true,
      );
      expect(await knex.schema.hasTable('workload_deployments')).toBe(false);
      expect(await knex.schema.hasTable('provisioning_requests')).toBe(true);
    });

    it('records a deployment, idempotently by operation, and its outcome', async () => {
      const { store: deployments } = await store();
      const started = await deployments.start(deployment());
      expect(started).toMatchObject({
        status: 'in-progress',
        kind: 'deploy',
        image: 'ghcr.io/acme/orders:1.0.0',
        commitTime: '2026-11-20T09:00:00.000Z',
        operationId: 'o1',
        requestId: 'r1',
      });
      expect(started.finishedAt).toBeUndefined();
      // A resumed step gets the same record.
      const again = await deployments.start(deployment({ image: 'other:2' }));
      expect(again.id).toBe(started.id);
      expect(again.image).toBe('ghcr.io/acme/orders:1.0.0');

      await deployments.finish(started.id, {
        status: 'failed',
        reason: "ReplicaFailure: exceeded quota: 'compute'",
      });
      const stored = await deployments.get(started.id);
      expect(stored).toMatchObject({
        status: 'failed',
        reason: "ReplicaFailure: exceeded quota: 'compute'",
        spec: deployment().spec,
      });
      expect(Date.parse(stored!.finishedAt!)).toBeGreaterThanOrEqual(
        Date.parse(stored!.startedAt),
      );
      expect(await deployments.get('nope')).toBeUndefined();
    });

    it('lists newest first by component, owner, environment, stage, status and time', async () => {
      const { store: deployments } = await store();
      const at = (day: number) =>
        `2026-11-${String(day).padStart(2, '0')}T10:00:00.000Z`;
      const a = await deployments.start(
        deployment({ operationId: 'a', startedAt: at(1) }),
      );
      const b = await deployments.start(
        deployment({
          operationId: 'b',
          startedAt: at(2),
          environment: 'orders-prod',
          stage: 'production',
        }),
      );
      const c = await deployments.start(
        deployment({
          operationId: 'c',
          startedAt: at(3),
          component: 'component:default/cart',
          owner: 'group:default/web-team',
          workload: 'cart',
        }),
      );
      await deployments.finish(b.id, {
        status: 'succeeded',
        finishedAt: '2026-11-02T10:05:00.000Z',
      });
      const ids = async (filter: object) =>
        (await deployments.list(filter)).map(d => d.id);
      expect(await ids({})).toEqual([c.id, b.id, a.id]);
      expect(await ids({ component: 'component:default/orders' })).toEqual([
        b.id,
        a.id,
      ]);
      expect(await ids({ owner: 'group:default/web-team' })).toEqual([c.id]);
      expect(await ids({ environment: 'orders-prod' })).toEqual([b.id]);
      expect(await ids({ stage: 'production', status: 'succeeded' })).toEqual([
        b.id,
      ]);
      expect(await ids({ since: at(2) })).toEqual([c.id, b.id]);
      expect(await ids({ limit: 1 })).toEqual([c.id]);
      expect(
        (await deployments.list({ environment: 'orders-prod' }))[0],
      ).toMatchObject({
        finishedAt: '2026-11-02T10:05:00.000Z',
        startedAt: at(2),
      });
    });

    it('keeps component and owner refs in lower case and finds them in any case', async () => {
      const { store: deployments } = await store();
      const started = await deployments.start(
        deployment({
          component: 'component:default/Orders',
          owner: 'group:default/Payments-Team',
        }),
      );
      expect(started).toMatchObject({
        component: 'component:default/orders',
        owner: 'group:default/payments-team',
      });
      for (const filter of [
        { component: 'component:default/orders' },
        { component: 'Component:Default/ORDERS' },
        { owner: 'group:default/payments-team' },
        { owner: 'Group:default/Payments-Team' },
      ]) {
        expect((await deployments.list(filter)).map(d => d.id)).toEqual([
          started.id,
        ]);
      }
    });

    it('brings records written in another case in line when it migrates', async () => {
      const knex = await databases.init(id);
      const migrations = {
        directory: resolve(__dirname, '../../migrations'),
        tableName: MIGRATIONS_TABLE,
      };
      // Only the first migration: a record as the store wrote it before.
      await knex.migrate.up(migrations);
      await knex('workload_deployments').insert({
        id: 'old',
        component: 'component:default/Orders',
        owner: 'group:default/Payments-Team',
        environment: 'orders-dev',
        stage: 'development',
        workload: 'orders',
        kind: 'deploy',
        status: 'succeeded',
        image: 'orders:1',
        spec: '{}',
        created_by: 'user:default/bob',
        started_at: Date.parse('2026-11-20T10:00:00Z'),
      });
      const deployments = await DatabaseDeploymentStore.create({
        database: mockServices.database({ knex }),
      });
      expect(
        await deployments.list({ component: 'component:default/orders' }),
      ).toEqual([
        expect.objectContaining({
          id: 'old',
          component: 'component:default/orders',
          owner: 'group:default/payments-team',
        }),
      ]);
    });

    it('finds the previous succeeded deployment of a request', async () => {
      const { store: deployments } = await store();
      const at = (minute: number) =>
        `2026-11-20T10:${String(minute).padStart(2, '0')}:00.000Z`;
      const v1 = await deployments.start(
        deployment({ operationId: 'v1', startedAt: at(1), image: 'orders:1' }),
      );
      const v2 = await deployments.start(
        deployment({ operationId: 'v2', startedAt: at(2), image: 'orders:2' }),
      );
      const v3 = await deployments.start(
        deployment({ operationId: 'v3', startedAt: at(3), image: 'orders:3' }),
      );
      await deployments.start(
        deployment({ operationId: 'x', startedAt: at(4), requestId: 'r2' }),
      );
      await deployments.finish(v1.id, { status: 'succeeded' });
      await deployments.finish(v2.id, { status: 'succeeded' });
      await deployments.finish(v3.id, { status: 'failed', reason: 'quota' });

      expect((await deployments.previousSucceeded('r1'))?.id).toBe(v2.id);
      const previous = await deployments.previousSucceeded('r1', v2.id);
      expect(previous).toMatchObject({ id: v1.id, image: 'orders:1' });
      expect(previous?.spec).toEqual(deployment().spec);
      expect(await deployments.previousSucceeded('r1', v1.id)).toBeUndefined();
      expect(await deployments.previousSucceeded('r2')).toBeUndefined();
    });
  },
);

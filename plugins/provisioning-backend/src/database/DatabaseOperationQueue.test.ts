import { TestDatabases } from '@backstage/backend-test-utils';
import { testDatabaseIds } from '@paved/test-utils';
import { TestClock } from '../__testUtils__/TestClock';
import { createFakeResourceType } from '../__testUtils__/fakeResourceType';
import {
  createTestEngine,
  secondConnection,
} from '../__testUtils__/testEngine';
import { DatabaseOperationQueue } from './DatabaseOperationQueue';

const databases = TestDatabases.create({ ids: testDatabaseIds() });

describe.each(databases.eachSupportedId())(
  'DatabaseOperationQueue on %p',
  id => {
    async function setup() {
      const knex = await databases.init(id);
      const clock = new TestClock();
      const engine = await createTestEngine(knex, {
        clock,
        types: [createFakeResourceType().type],
      });
      const result = await engine.request({ name: 'orders-db' });
      const request = (
        result as { request: { id: string; activeOperation?: { id: string } } }
      ).request;
      return {
        ...engine,
        knex,
        clock,
        createRequest: engine.request,
        request,
        operationId: request.activeOperation!.id,
      };
    }

    it('lets exactly one of two processes claim an operation', async () => {
      const { knex, clock, queue, operationId } = await setup();
      const other = secondConnection(knex);
      try {
        const otherQueue = DatabaseOperationQueue.create({
          knex: other,
          clock,
        });
        expect(await queue.findDue(10)).toEqual([operationId]);
        const claims = await Promise.all([
          queue.claim(operationId, 'worker-a', 30_000),
          otherQueue.claim(operationId, 'worker-b', 30_000),
        ]);
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(claims.find(Boolean)).toMatchObject({
          operation: { status: 'running', attempts: 1 },
          request: { name: 'orders-db' },
        });
        expect(await queue.findDue(10)).toEqual([]);
      } finally {
        if (other !== knex) await other.destroy();
      }
    });

    it('hands an operation to another worker once its lease expires, and fences the first', async () => {
      const { clock, queue, store, operationId, request } = await setup();
      const a = (await queue.claim(operationId, 'worker-a', 30_000))!;
      await queue.saveCheckpoint(a.lease, 'provision:create', 'handle-1');

      clock.advance(29_999);
      expect(
        await queue.claim(operationId, 'worker-b', 30_000),
      ).toBeUndefined();
      clock.advance(2);
      const b = (await queue.claim(operationId, 'worker-b', 30_000))!;
      expect(b.operation.attempts).toBe(2);

      // worker-a finds out at its next write or heartbeat.
      expect(await queue.extendLease(a.lease, 30_000)).toBe(false);
      await expect(queue.setOutputs(a.lease, { zombie: true })).rejects.toThrow(
        expect.objectContaining({ name: 'LeaseLostError' }),
      );
      // worker-b sees what worker-a checkpointed.
      expect(await queue.getCheckpoint(b.lease, 'provision:create')).toEqual({
        value: 'handle-1',
      });
      await queue.finish(b.lease, {
        status: 'succeeded',
        requestState: 'ready',
        event: { type: 'ready', message: 'done' },
      });
      const details = await store.getRequestDetails(request.id);
      expect(details).toMatchObject({
        state: 'ready',
        outputs: {},
        activeOperation: undefined,
        operations: [{ status: 'succeeded', attempts: 2 }],
      });
      expect(details?.timeline.map(event => event.type)).toEqual([
        'requested',
        'resumed',
        'ready',
      ]);
      expect(details?.timeline[1]).toMatchObject({
        actor: 'worker:worker-b',
        message: expect.stringContaining(
          'Worker worker-a stopped renewing its lease',
        ),
      });
    });

    it('keeps a requeued operation until it is due, and refunds polls', async () => {
      const { clock, queue, operationId } = await setup();
      const a = (await queue.claim(operationId, 'worker-a', 30_000))!;
      await queue.requeue(a.lease, {
        delayMs: 5_000,
        refundAttempt: true,
        event: { type: 'waiting', message: 'not ready' },
      });
      expect(await queue.findDue(10)).toEqual([]);
      clock.advance(5_000);
      expect(await queue.findDue(10)).toEqual([operationId]);
      const again = (await queue.claim(operationId, 'worker-a', 30_000))!;
      expect(again.operation.attempts).toBe(1);
    });

    it('stores checkpoints, including steps that return nothing', async () => {
      const { queue, operationId } = await setup();
      const a = (await queue.claim(operationId, 'worker-a', 30_000))!;
      expect(
        await queue.getCheckpoint(a.lease, 'provision:none'),
      ).toBeUndefined();
      await queue.saveCheckpoint(a.lease, 'provision:none', undefined);
      expect(await queue.getCheckpoint(a.lease, 'provision:none')).toEqual({});
    });

    it('frees the name when an operation ends the request', async () => {
      const { queue, createRequest, operationId } = await setup();
      const a = (await queue.claim(operationId, 'worker-a', 30_000))!;
      await queue.finish(a.lease, {
        status: 'succeeded',
        requestState: 'deleted',
        event: { type: 'deleted', message: 'gone' },
      });
      expect(await createRequest({ name: 'orders-db' })).toMatchObject({
        outcome: 'created',
      });
    });
  },
);

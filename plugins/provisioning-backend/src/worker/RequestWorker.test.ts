import { TestDatabases } from '@backstage/backend-test-utils';
import { createDeferred } from '@backstage/types';
import { NonRetryableError, setOutputs } from '@paved/plugin-provisioning-node';
import { testDatabaseIds, waitFor } from '@paved/test-utils';
import { TestClock } from '../__testUtils__/TestClock';
import {
  createFakeResourceType,
  FakeBehaviour,
} from '../__testUtils__/fakeResourceType';
import {
  createTestEngine,
  secondConnection,
} from '../__testUtils__/testEngine';

const databases = TestDatabases.create({ ids: testDatabaseIds() });

describe.each(databases.eachSupportedId())('RequestWorker on %p', id => {
  async function setup(behaviour: FakeBehaviour = {}) {
    const knex = await databases.init(id);
    const clock = new TestClock();
    const fake = createFakeResourceType(behaviour);
    const engine = await createTestEngine(knex, { clock, types: [fake.type] });
    const create = async (name: string) => {
      const result = await engine.request({ name });
      if (result.outcome !== 'created') throw new Error(result.outcome);
      return result.request;
    };
    return { ...engine, knex, clock, ...fake, create };
  }

  it('provisions a request: provisioning, then ready with its outputs', async () => {
    const { worker, create, store, recorder } = await setup();
    const request = await create('orders-db');
    expect(request.state).toBe('provisioning');

    expect(await worker('w1').runOnce()).toBe(1);

    const details = await store.getRequestDetails(request.id);
    expect(details).toMatchObject({
      state: 'ready',
      outputs: { handle: 'fake-orders-db' },
      operations: [{ kind: 'provision', status: 'succeeded', attempts: 1 }],
    });
    expect(details!.timeline.map(e => [e.type, e.actor])).toEqual([
      ['requested', 'user:default/bob'],
      ['step-started', 'worker:w1'],
      ['ready', 'worker:w1'],
    ]);
    expect(recorder.sideEffects.get(request.id)).toBe(1);
  });

  it('asks observe again later until the resource is ready, without using up attempts', async () => {
    const { worker, create, store, clock, recorder } = await setup({
      observe: [
        { ready: false, message: "instance is 'creating'" },
        { ready: true },
      ],
    });
    const request = await create('slow-db');
    const w = worker('w1');

    await w.runOnce();
    expect(await store.getRequest(request.id)).toMatchObject({
      state: 'provisioning',
      activeOperation: { status: 'queued', step: 'observe', attempts: 0 },
    });
    expect(await w.runOnce()).toBe(0); // not due before the observe interval
    clock.advance(5_000);
    await w.runOnce();

    const details = await store.getRequestDetails(request.id);
    expect(details?.state).toBe('ready');
    expect(details?.timeline.map(e => e.type)).toEqual([
      'requested',
      'step-started',
      'step-started',
      'waiting',
      'step-started',
      'ready',
    ]);
    // The resumed operation went straight to observe.
    expect(recorder.provisions.get(request.id)).toBe(1);
  });

  it('lets observe see what provision recorded in the same run', async () => {
    const { worker, create, recorder } = await setup({
      observe: [{ ready: true }],
    });
    await create('orders-db');
    await worker('w1').runOnce();
    expect(recorder.observedOutputs).toEqual([{ handle: 'fake-orders-db' }]);
  });

  it('stores the outputs a step sets together in one write, and only the changed ones', async () => {
    const { worker, create, store, queue } = await setup({
      afterCreate: [
        async ctx => {
          await setOutputs(ctx, { host: 'db.internal', port: 5432 });
          await setOutputs(ctx, { host: 'db.internal', tls: true });
        },
      ],
    });
    const write = jest.spyOn(queue, 'setOutputs');
    const request = await create('orders-db');
    await worker('w1').runOnce();

    expect(write.mock.calls.map(([, outputs]) => outputs)).toEqual([
      { host: 'db.internal', port: 5432 },
      { tls: true },
      { handle: 'fake-orders-db' },
    ]);
    expect((await store.getRequest(request.id))?.outputs).toEqual({
      host: 'db.internal',
      port: 5432,
      tls: true,
      handle: 'fake-orders-db',
    });
  });

  it('retries a failing step with exponential backoff, then fails with the last error', async () => {
    let calls = 0;
    const { worker, create, store, clock } = await setup({
      afterCreate: [
        () => {
          calls += 1;
          throw new Error(`the cloud said no (${calls})`);
        },
      ],
    });
    const request = await create('unlucky-db');
    const w = worker('w1');

    await w.runOnce();
    expect(await store.getRequest(request.id)).toMatchObject({
      state: 'provisioning',
      activeOperation: {
        status: 'queued',
        attempts: 1,
        lastError: 'the cloud said no (1)',
      },
    });
    clock.advance(999);
    expect(await w.runOnce()).toBe(0);
    clock.advance(1);
    expect(await w.runOnce()).toBe(1); // attempt 2, after 1 s
    clock.advance(1_999);
    expect(await w.runOnce()).toBe(0);
    clock.advance(1);
    expect(await w.runOnce()).toBe(1); // attempt 3, after 2 s: the last

    const details = await store.getRequestDetails(request.id);
    expect(details).toMatchObject({
      state: 'failed',
      lastError: 'the cloud said no (3)',
      activeOperation: undefined,
      operations: [
        { status: 'failed', attempts: 3, lastError: 'the cloud said no (3)' },
      ],
    });
    expect(details!.timeline.map(e => e.type)).toEqual([
      'requested',
      'step-started',
      'retry-scheduled',
      'step-started',
      'retry-scheduled',
      'step-started',
      'failed',
    ]);
    expect(details!.timeline[2].message).toBe(
      'Attempt 1 of 3 failed: the cloud said no (1); retrying in 1 s',
    );
    expect(details!.timeline[6].message).toBe(
      'Provisioning failed after 3 attempt(s): the cloud said no (3)',
    );
  });

  it('fails at once on a NonRetryableError', async () => {
    const { worker, create, store } = await setup({
      afterCreate: [
        () => {
          throw new NonRetryableError("region 'eu-mars-1' does not exist");
        },
      ],
    });
    const request = await create('doomed-db');
    await worker('w1').runOnce();
    expect(await store.getRequest(request.id)).toMatchObject({
      state: 'failed',
      lastError: "region 'eu-mars-1' does not exist",
    });
  });

  it('destroys a request whose provisioning failed, when it is deleted', async () => {
    const { worker, create, store, recorder } = await setup({
      afterCreate: [
        () => {
          throw new NonRetryableError('half made');
        },
      ],
    });
    const request = await create('half-db');
    const w = worker('w1');
    await w.runOnce();
    expect((await store.getRequest(request.id))?.state).toBe('failed');

    await store.transition(request.id, {
      from: ['ready', 'failed'],
      to: 'deleting',
      event: { type: 'delete-requested', message: 'clean up' },
      enqueue: { kind: 'destroy', createdBy: 'user:default/bob' },
    });
    await w.runOnce();
    expect(await store.getRequest(request.id)).toMatchObject({
      state: 'deleted',
      lastError: undefined,
    });
    expect(recorder.destroys.get(request.id)).toBe(1);
  });

  it('resumes after a crash on another worker, without repeating a checkpointed side effect', async () => {
    const hung = createDeferred<void>();
    const { worker, create, store, clock, recorder, knex } = await setup({
      // The first execution hangs after its side effect, like a process that died
      // there; the second one runs through.
      afterCreate: [() => hung, () => {}],
    });
    const request = await create('crashy-db');
    // worker-a never renews its lease in this test: its heartbeat is an hour away.
    const a = worker('worker-a', { heartbeatMs: 3_600_000 });
    const other = secondConnection(knex);
    try {
      const b = worker('worker-b', {}, other);
      const [runOfA] = await a.claimDue();
      await waitFor('the first side effect', async () =>
        recorder.sideEffects.get(request.id) === 1 ? true : undefined,
      );

      expect(await b.runOnce()).toBe(0); // worker-a's lease still holds
      clock.advance(30_001);
      expect(await b.runOnce()).toBe(1);

      // worker-a comes back to life: its late writes are refused.
      hung.resolve();
      await runOfA;

      const details = await store.getRequestDetails(request.id);
      expect(details).toMatchObject({
        state: 'ready',
        outputs: { handle: 'fake-crashy-db' },
        operations: [{ status: 'succeeded', attempts: 2 }],
      });
      expect(recorder.provisions.get(request.id)).toBe(2);
      expect(recorder.sideEffects.get(request.id)).toBe(1);
      expect(details!.timeline.map(e => [e.type, e.actor])).toEqual([
        ['requested', 'user:default/bob'],
        ['step-started', 'worker:worker-a'],
        ['resumed', 'worker:worker-b'],
        ['step-started', 'worker:worker-b'],
        ['ready', 'worker:worker-b'],
      ]);
    } finally {
      if (other !== knex) await other.destroy();
    }
  });

  it('gives running work back when it shuts down, for another worker to finish', async () => {
    const { worker, create, store, recorder } = await setup({
      afterCreate: [
        ctx =>
          new Promise((_resolve, reject) => {
            ctx.signal.addEventListener('abort', () =>
              reject(ctx.signal.reason),
            );
          }),
        () => {},
      ],
    });
    const request = await create('deploy-db');
    const a = worker('worker-a');
    a.start();
    await waitFor('the step to start', async () =>
      recorder.sideEffects.get(request.id) === 1 ? true : undefined,
    );
    await a.stop();

    expect(await store.getRequest(request.id)).toMatchObject({
      state: 'provisioning',
      activeOperation: { status: 'queued', attempts: 0 },
    });
    await worker('worker-b').runOnce();
    const details = await store.getRequestDetails(request.id);
    expect(details?.state).toBe('ready');
    expect(details?.timeline.map(e => e.type)).toContain('interrupted');
    expect(recorder.sideEffects.get(request.id)).toBe(1);
  });

  it('never runs a request on two workers at once, with two processes polling one database', async () => {
    const { worker, create, store, recorder, knex } = await setup({
      afterCreate: [
        () =>
          new Promise(resolve => setTimeout(resolve, 5 + Math.random() * 25)),
      ],
    });
    const other = secondConnection(knex);
    const a = worker('worker-a', { concurrency: 3 });
    const b = worker('worker-b', { concurrency: 3 }, other);
    try {
      const requests = await Promise.all(
        Array.from({ length: 24 }, (_, i) => create(`db-${i}`)),
      );
      a.start();
      b.start();
      const ids = requests.map(r => r.id);
      await waitFor(
        'every request to be ready',
        async () => {
          const found = await store.getRequests(ids);
          return found.every(r => r?.state === 'ready') ? found : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 100 },
      );

      for (const requestId of ids) {
        expect({ requestId, runs: recorder.provisions.get(requestId) }).toEqual(
          {
            requestId,
            runs: 1,
          },
        );
      }
      expect(recorder.overlaps).toBe(0);
      const byWorker = new Map<string, number>();
      for (const requestId of ids) {
        const details = await store.getRequestDetails(requestId);
        const actor = details!.timeline.find(e => e.type === 'ready')!.actor!;
        byWorker.set(actor, (byWorker.get(actor) ?? 0) + 1);
      }
      // Both took part, so the test did exercise the race.
      expect([...byWorker.keys()].sort()).toEqual([
        'worker:worker-a',
        'worker:worker-b',
      ]);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      if (other !== knex) await other.destroy();
    }
  }, 90_000);
});

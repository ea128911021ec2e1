import { TestDatabases } from '@backstage/backend-test-utils';
import { testDatabaseIds } from '@paved/test-utils';
import { TestClock } from '../__testUtils__/TestClock';
import { createTestEngine } from '../__testUtils__/testEngine';
import { createFakeResourceType } from '../__testUtils__/fakeResourceType';

const databases = TestDatabases.create({ ids: testDatabaseIds() });

describe.each(databases.eachSupportedId())('DatabaseRequestStore on %p', id => {
  async function setup() {
    const knex = await databases.init(id);
    return createTestEngine(knex, {
      clock: new TestClock(),
      types: [createFakeResourceType().type],
    });
  }

  it('stores a request with its provisioning queued, and returns it again for the same name', async () => {
    const { store, request } = await setup();
    const first = await request({ name: 'orders-db' });
    expect(first).toMatchObject({
      outcome: 'created',
      request: {
        state: 'provisioning',
        owner: 'group:default/payments-team',
        parameters: { environment: 'dev', sizeGb: 10 },
        activeOperation: { kind: 'provision', status: 'queued', attempts: 0 },
      },
    });
    const again = await request({ name: 'orders-db' });
    expect(again).toMatchObject({ outcome: 'existing' });
    expect(again.outcome === 'existing' && again.request.id).toBe(
      first.outcome === 'created' && first.request.id,
    );

    // Names are global, as catalog entity names are: another owner finds it taken.
    expect(
      await request({ name: 'orders-db', owner: 'group:default/orders-team' }),
    ).toMatchObject({
      outcome: 'name-taken',
      holder: { owner: 'group:default/payments-team', name: 'orders-db' },
    });

    const details = await store.getRequestDetails(
      (first as { request: { id: string } }).request.id,
    );
    expect(details?.timeline.map(event => event.type)).toEqual(['requested']);
    expect(details?.operations).toHaveLength(1);
  });

  it('keeps an approval-bound request waiting, without an operation', async () => {
    const { request } = await setup();
    const result = await request({
      name: 'prod-db',
      approval: { group: 'group:default/platform-team', reason: 'production' },
    });
    expect(result).toMatchObject({
      outcome: 'created',
      request: {
        state: 'pending-approval',
        approval: {
          group: 'group:default/platform-team',
          reason: 'production',
        },
        activeOperation: undefined,
      },
    });
  });

  it('counts active requests against the quota, also when requests race', async () => {
    const { store, request } = await setup();
    const results = await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map(name => request({ name, quotaMax: 2 })),
    );
    expect(results.filter(r => r.outcome === 'created')).toHaveLength(2);
    expect(results.filter(r => r.outcome === 'quota-exceeded')).toEqual(
      expect.arrayContaining([{ outcome: 'quota-exceeded', used: 2 }]),
    );

    // A deleted request frees its quota and its name.
    const created = results.find(r => r.outcome === 'created') as {
      request: { id: string; name: string };
    };
    await store.transition(created.request.id, {
      from: ['provisioning'],
      to: 'deleted',
      event: { type: 'deleted', message: 'gone' },
    });
    expect(
      await request({ name: created.request.name, quotaMax: 2 }),
    ).toMatchObject({ outcome: 'created' });
  });

  it('creates one request when identical requests race', async () => {
    const { request } = await setup();
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => request({ name: 'same' })),
    );
    expect(results.map(r => r.outcome).sort()).toEqual([
      'created',
      'existing',
      'existing',
      'existing',
    ]);
  });

  it('gives a name to one owner when two owners race for it', async () => {
    const { store, request } = await setup();
    const results = await Promise.all(
      ['group:default/payments-team', 'group:default/orders-team'].map(owner =>
        request({ name: 'shared-db', owner }),
      ),
    );
    expect(results.map(result => result.outcome).sort()).toEqual([
      'created',
      'name-taken',
    ]);
    const listed = await store.listRequests({ limit: 100, offset: 0 });
    expect(listed.items.filter(r => r.name === 'shared-db')).toHaveLength(1);
  });

  it('changes state only from the expected states, and one operation at a time', async () => {
    const { store, request } = await setup();
    const { request: created } = (await request({ name: 'x' })) as {
      request: { id: string };
    };
    expect(
      await store.transition(created.id, {
        from: ['ready'],
        to: 'updating',
        event: { type: 'action-requested', message: 'resize' },
      }),
    ).toBeUndefined();
    // The provision operation is unfinished, so another cannot be queued.
    await expect(
      store.transition(created.id, {
        from: ['provisioning'],
        to: 'deleting',
        event: { type: 'delete-requested', message: 'delete' },
        enqueue: { kind: 'destroy', createdBy: 'user:default/bob' },
      }),
    ).rejects.toThrow(expect.objectContaining({ name: 'ConflictError' }));
    expect((await store.getRequest(created.id))?.state).toBe('provisioning');
  });

  it('keeps an action held for an approval from the workers until one decision queues it', async () => {
    const { store, queue, request } = await setup();
    const { request: created } = (await request({ name: 'held' })) as {
      request: { id: string; activeOperation: { id: string } };
    };
    const claimed = await queue.claim(
      created.activeOperation.id,
      'worker-a',
      30_000,
    );
    await queue.finish(claimed!.lease, {
      status: 'succeeded',
      requestState: 'ready',
      event: { type: 'ready', message: 'ready' },
    });

    const held = await store.transition(created.id, {
      from: ['ready'],
      to: 'ready',
      event: { type: 'action-requested', message: 'promote' },
      enqueue: {
        kind: 'action',
        action: 'promote',
        createdBy: 'user:default/bob',
        approval: { group: 'group:default/platform-team', reason: 'prod' },
      },
    });
    const operation = held!.activeOperation!;
    expect(held).toMatchObject({ state: 'ready' });
    expect(operation).toMatchObject({
      status: 'pending-approval',
      approval: { group: 'group:default/platform-team', reason: 'prod' },
    });
    expect(await queue.findDue(10)).toEqual([]);
    expect(await queue.claim(operation.id, 'worker-a', 30_000)).toBeUndefined();

    const decide = (by: string) =>
      store.decideOperation(created.id, operation.id, {
        decision: 'approved',
        by,
        event: { type: 'action-approved', message: `${by} approved` },
      });
    const [first, second] = await Promise.all([
      decide('user:default/alice'),
      decide('user:default/frank'),
    ]);
    // Exactly one decision counts; the other finds nothing waiting.
    expect([first, second].filter(Boolean)).toHaveLength(1);
    const decided = (first ?? second)!;
    expect(decided).toMatchObject({
      state: 'updating',
      activeOperation: { id: operation.id, status: 'queued' },
    });
    expect(await queue.findDue(10)).toEqual([operation.id]);
  });

  it('lists with filters, paging and permission criteria', async () => {
    const { store, request } = await setup();
    await request({ name: 'a' });
    await request({ name: 'b', owner: 'group:default/orders-team' });
    await request({
      name: 'c',
      owner: 'group:default/orders-team',
      approval: { group: 'group:default/dba-team', reason: 'big' },
    });
    const page = { limit: 10, offset: 0 };
    const names = async (filter: object) =>
      (await store.listRequests({ ...page, ...filter })).items
        .map(r => r.name)
        .sort();

    expect(await names({})).toEqual(['a', 'b', 'c']);
    expect(await names({ owners: ['group:default/orders-team'] })).toEqual([
      'b',
      'c',
    ]);
    expect(
      await names({
        owners: ['group:default/orders-team', 'group:default/payments-team'],
      }),
    ).toEqual(['a', 'b', 'c']);
    expect(await names({ states: ['pending-approval'] })).toEqual(['c']);
    expect(await names({ name: 'b' })).toEqual(['b']);
    expect(await names({ approvalGroup: 'group:default/dba-team' })).toEqual([
      'c',
    ]);
    expect(
      await names({
        permission: {
          anyOf: [
            { column: 'owner', values: ['group:default/payments-team'] },
            { column: 'approval_group', values: ['group:default/dba-team'] },
          ],
        },
      }),
    ).toEqual(['a', 'c']);
    expect(
      await names({
        permission: {
          not: { column: 'owner', values: ['group:default/payments-team'] },
        },
      }),
    ).toEqual(['b', 'c']);
    expect(await store.listRequests({ limit: 2, offset: 2 })).toMatchObject({
      totalCount: 3,
      items: [expect.anything()],
    });
  });

  it('loads requests by id for the permission framework', async () => {
    const { store, request } = await setup();
    const { request: created } = (await request({ name: 'a' })) as {
      request: { id: string };
    };
    const found = await store.getRequests(['missing', created.id]);
    expect(found.map(r => r?.name)).toEqual([undefined, 'a']);
  });
});

import { JsonObject } from '@backstage/types';
import { listAttachedRequests } from './attachedRequests';
import { inMemoryRequestLookup } from './inMemoryRequestLookup';
import { EnvironmentCopy, ResourceType } from './ResourceType';
import { ReferencedRequest } from './StepContext';

const request = (
  type: string,
  name: string,
  parameters: JsonObject,
  state: ReferencedRequest['state'] = 'ready',
): ReferencedRequest => ({
  id: `${type}-${name}`,
  type,
  name,
  owner: 'group:default/checkout-team',
  parameters,
  createdBy: 'user:default/bob',
  state,
  outputs: {},
});

const type = (
  id: string,
  environmentCopy?: EnvironmentCopy<any>,
): Pick<ResourceType<any>, 'id' | 'environmentCopy'> => ({
  id,
  environmentCopy,
});

describe('listAttachedRequests', () => {
  const requests = [
    request('queue', 'main-orders', { environmentName: 'main', maxLength: 5 }),
    request('postgres', 'main-z', { environmentName: 'main', target: 'a' }),
    request('postgres', 'main-a', { environmentName: 'main', target: 'b' }),
    request('postgres', 'other-a', { environmentName: 'other' }),
    request('postgres', 'team-db', {}),
    request('postgres', 'main-gone', { environmentName: 'main' }, 'deleted'),
    // A type that does not declare `environmentCopy` is not held by environments,
    // whatever its parameters say.
    request('note', 'main-note', { environmentName: 'main' }),
  ];
  const types = [
    type('queue', {}),
    type('note'),
    type('postgres', {
      seedAction: 'backup-now',
      parameters: (source, { sourceName, seeded }) => ({
        target: source.target,
        ...(seeded ? { restoreFrom: { database: sourceName } } : {}),
      }),
    }),
  ];
  const lookup = inMemoryRequestLookup(requests);

  it('lists the active requests of every attachable type naming the environment, by type and name', async () => {
    const attached = await listAttachedRequests(
      types,
      lookup.listActive,
      'main',
    );
    expect(attached.map(a => `${a.request.type}/${a.request.name}`)).toEqual([
      'postgres/main-a',
      'postgres/main-z',
      'queue/main-orders',
    ]);
    expect(attached.map(a => a.seedAction)).toEqual([
      'backup-now',
      'backup-now',
      undefined,
    ]);
    expect(
      await listAttachedRequests(types, lookup.listActive, 'nowhere'),
    ).toEqual([]);
    expect(await listAttachedRequests([], lookup.listActive, 'main')).toEqual(
      [],
    );
  });

  it("makes a copy's parameters with the type's rule, or the source's own, never with the attachment", async () => {
    const [a, , queue] = await listAttachedRequests(
      types,
      lookup.listActive,
      'main',
    );
    expect(a.copyParameters({ seeded: false })).toEqual({ target: 'b' });
    expect(a.copyParameters({ seeded: true })).toEqual({
      target: 'b',
      restoreFrom: { database: 'main-a' },
    });
    expect(queue.copyParameters({ seeded: false })).toEqual({ maxLength: 5 });
    // The source request is left as it was.
    expect(queue.request.parameters).toEqual({
      environmentName: 'main',
      maxLength: 5,
    });
  });

  it("leaves the source's parameters alone when the type's rule hands them back as they are", async () => {
    const [attached] = await listAttachedRequests(
      [type('queue', { parameters: source => source })],
      lookup.listActive,
      'main',
    );
    expect(attached.copyParameters({ seeded: false })).toEqual({
      maxLength: 5,
    });
    expect(attached.request.parameters.environmentName).toBe('main');
  });

  it('is what the in-memory lookup lists for the types it is given', async () => {
    expect(
      (await inMemoryRequestLookup(requests, types).listAttached('main')).map(
        a => a.request.name,
      ),
    ).toEqual(['main-a', 'main-z', 'main-orders']);
    expect(await inMemoryRequestLookup(requests).listAttached('main')).toEqual(
      [],
    );
  });
});

import {
  inMemoryRequestLookup,
  ReferencedRequest,
} from '@paved/plugin-provisioning-node';
import { copyDatabaseName, MAX_DATABASE_NAME_LENGTH } from './copyDatabaseName';
import { databaseReadiness } from './databases';
import { deleteAttachedDatabases } from './deleteAttachedDatabases';
import { ProvisioningCalls } from './provisioningApi/ProvisioningCalls';

const database = (
  name: string,
  state: ReferencedRequest['state'],
  environmentName = 'main',
): ReferencedRequest => ({
  id: `${name}-id`,
  type: 'postgres',
  name,
  owner: 'group:default/checkout-team',
  parameters: { target: 'main', environmentName },
  createdBy: 'user:default/bob',
  state,
  outputs: {},
});

describe('copyDatabaseName', () => {
  it("replaces the source environment's prefix with the copy's", () => {
    expect(
      copyDatabaseName('orders-pr-7', 'orders-main', 'orders-main-db'),
    ).toBe('orders-pr-7-db');
    expect(copyDatabaseName('feature', 'main', 'orders')).toBe(
      'feature-orders',
    );
    // Only a leading prefix, and never the whole name.
    expect(copyDatabaseName('feature', 'main', 'main')).toBe('feature-main');
    expect(copyDatabaseName('feature', 'main', 'db-main-x')).toBe(
      'feature-db-main-x',
    );
  });

  it('starts with a letter, as database names must', () => {
    expect(copyDatabaseName('7-preview', 'main', 'main-db')).toBe(
      'db-7-preview-db',
    );
  });

  it('cuts long names to the database limit with a hash of the full name', () => {
    const env = `feature-${'x'.repeat(50)}`;
    const a = copyDatabaseName(env, 'main', 'main-orders-database');
    const b = copyDatabaseName(env, 'main', 'main-orders-databases');
    expect(a).toHaveLength(MAX_DATABASE_NAME_LENGTH);
    expect(a).toMatch(/^feature-x{45}-[0-9a-f]{6}$/);
    expect(a).not.toBe(b);
    expect(copyDatabaseName(env, 'main', 'main-orders-database')).toBe(a);
    expect(MAX_DATABASE_NAME_LENGTH).toBe(60);
  });
});

describe('databaseReadiness', () => {
  it('waits for every attached database and says how many are ready', async () => {
    const lookup = inMemoryRequestLookup([
      database('main-a', 'ready'),
      database('main-b', 'provisioning'),
      database('other-c', 'provisioning', 'other'),
    ]);
    expect(await databaseReadiness(lookup, 'main')).toEqual({
      ready: false,
      message:
        "1 of 2 attached database(s) ready; waiting for 'main-b' (provisioning)",
    });
    expect(await databaseReadiness(lookup, 'other')).toMatchObject({
      ready: false,
    });
    expect(await databaseReadiness(lookup, 'none')).toEqual({
      ready: true,
      message: undefined,
    });
  });

  it('fails for good, naming a failed database', async () => {
    const error = await databaseReadiness(
      inMemoryRequestLookup([
        database('main-a', 'ready'),
        database('main-b', 'failed'),
      ]),
      'main',
    ).catch(e => e);
    expect(error.name).toBe('NonRetryableError');
    expect(error.message).toBe(
      "attached database 'main-b' failed; see its request",
    );
  });
});

describe('deleteAttachedDatabases', () => {
  const calls = (deleted: string[]): ProvisioningCalls => ({
    createRequest: jest.fn(),
    getRequest: jest.fn(),
    runAction: jest.fn(),
    deleteRequest: async id => {
      deleted.push(id);
    },
  });

  it('deletes each attached database once and retries (a plain error) while they are still there', async () => {
    const deleted: string[] = [];
    const requests = [
      database('main-a', 'ready'),
      database('main-b', 'deleting'),
      database('other-c', 'ready', 'other'),
    ];
    const error = await deleteAttachedDatabases({
      calls: calls(deleted),
      requests: inMemoryRequestLookup(requests),
      environment: 'main',
      signal: new AbortController().signal,
      log: () => {},
      timeoutMs: 10,
    }).catch(e => e);
    expect(deleted).toEqual(['main-a-id']);
    expect(error.name).toBe('Error');
    expect(error.message).toMatch(
      /^attached database\(s\) 'main-a' \(ready\), 'main-b' \(deleting\) still not deleted/,
    );
  });

  it('is done at once without attached databases, and refuses for good without the API', async () => {
    const none = await deleteAttachedDatabases({
      calls: undefined,
      requests: inMemoryRequestLookup([database('other-c', 'ready', 'other')]),
      environment: 'main',
      signal: new AbortController().signal,
      log: () => {},
    });
    expect(none).toBe(0);
    const error = await deleteAttachedDatabases({
      calls: undefined,
      requests: inMemoryRequestLookup([database('main-a', 'ready')]),
      environment: 'main',
      signal: new AbortController().signal,
      log: () => {},
    }).catch(e => e);
    expect(error.name).toBe('NonRetryableError');
  });
});

/*
 * The attachment rule with fakes: an in-memory request lookup over two attachable
 * types (a database-like one with a seed action, a queue-like one without) and a
 * recording stand-in for the provisioning API. The real engine, postgres type and
 * cluster are in attachedResourcesBackend.test.ts.
 */
import {
  EnvironmentCopy,
  inMemoryRequestLookup,
  ReferencedRequest,
} from '@paved/plugin-provisioning-node';
import {
  attachedReadiness,
  attachedResourcesSection,
} from './attachedResources';
import { copyAttachedResources } from './copyAttachedResources';
import { copyResourceName, MAX_COPY_NAME_LENGTH } from './copyResourceName';
import { deleteAttachedResources } from './deleteAttachedResources';
import {
  ProvisioningApiError,
  ProvisioningCalls,
} from './provisioningApi/ProvisioningCalls';

const OWNER = 'group:default/checkout-team';

const attached = (
  type: string,
  name: string,
  state: ReferencedRequest['state'],
  environmentName = 'main',
  outputs: ReferencedRequest['outputs'] = {},
): ReferencedRequest => ({
  id: `${name}-id`,
  type,
  name,
  owner: OWNER,
  parameters: { size: 3, environmentName },
  createdBy: 'user:default/bob',
  state,
  outputs,
});

const TYPES: Array<{ id: string; environmentCopy?: EnvironmentCopy<any> }> = [
  {
    id: 'db',
    environmentCopy: {
      seedAction: 'snapshot',
      parameters: (source, { sourceName, seeded }) => ({
        size: source.size,
        ...(seeded ? { from: sourceName } : {}),
      }),
    },
  },
  { id: 'queue', environmentCopy: {} },
  // Not attachable: its requests are never an environment's.
  { id: 'note' },
];

const lookup = (requests: ReferencedRequest[]) =>
  inMemoryRequestLookup(requests, TYPES);

/** A provisioning API that records its calls; operations succeed when asked. */
function fakeCalls(options: { createError?: Error; actionError?: Error } = {}) {
  const calls = {
    created: [] as Array<Parameters<ProvisioningCalls['createRequest']>[0]>,
    actions: [] as string[],
    deleted: [] as string[],
  };
  const api: ProvisioningCalls = {
    async createRequest(body) {
      if (options.createError) {
        throw options.createError;
      }
      calls.created.push(body);
      return { id: `${body.name}-id`, state: 'provisioning' };
    },
    async getRequest(id) {
      return {
        state: 'ready',
        operations: [{ id: `${id}-op`, status: 'succeeded' }],
      };
    },
    async runAction(id, action, key) {
      if (options.actionError) {
        throw options.actionError;
      }
      calls.actions.push(`${id} ${action} ${key}`);
      return { id: `${id}-op` };
    },
    async deleteRequest(id) {
      calls.deleted.push(id);
    },
  };
  return { api, calls };
}

describe('copyResourceName', () => {
  it("replaces the source environment's prefix with the copy's", () => {
    expect(
      copyResourceName('orders-pr-7', 'orders-main', 'orders-main-db'),
    ).toBe('orders-pr-7-db');
    expect(copyResourceName('feature', 'main', 'orders')).toBe(
      'feature-orders',
    );
    // Only a leading prefix, and never the whole name.
    expect(copyResourceName('feature', 'main', 'main')).toBe('feature-main');
    expect(copyResourceName('feature', 'main', 'db-main-x')).toBe(
      'feature-db-main-x',
    );
  });

  it('starts with a letter, as some types need', () => {
    expect(copyResourceName('7-preview', 'main', 'main-db')).toBe(
      'env-7-preview-db',
    );
  });

  it('cuts long names to the shortest limit with a hash of the full name', () => {
    const env = `feature-${'x'.repeat(50)}`;
    const a = copyResourceName(env, 'main', 'main-orders-database');
    const b = copyResourceName(env, 'main', 'main-orders-databases');
    expect(a).toHaveLength(MAX_COPY_NAME_LENGTH);
    expect(a).toMatch(/^feature-x{45}-[0-9a-f]{6}$/);
    expect(a).not.toBe(b);
    expect(copyResourceName(env, 'main', 'main-orders-database')).toBe(a);
    expect(MAX_COPY_NAME_LENGTH).toBe(60);
  });
});

describe('attachedReadiness', () => {
  it('waits for every attached resource of every type and says how many are ready', async () => {
    const requests = lookup([
      attached('db', 'main-a', 'ready'),
      attached('queue', 'main-q', 'provisioning'),
      attached('queue', 'main-r', 'updating'),
      attached('note', 'main-n', 'provisioning'),
      attached('db', 'other-c', 'provisioning', 'other'),
    ]);
    expect(await attachedReadiness(requests, 'main')).toEqual({
      ready: false,
      message:
        "2 of 3 attached resource(s) ready; waiting for queue 'main-q' (provisioning)",
    });
    expect(await attachedReadiness(requests, 'other')).toEqual({
      ready: false,
      message:
        "0 of 1 attached resource(s) ready; waiting for db 'other-c' (provisioning)",
    });
    expect(await attachedReadiness(requests, 'none')).toEqual({
      ready: true,
      message: undefined,
    });
    expect(
      await attachedReadiness(
        lookup([attached('queue', 'main-q', 'ready')]),
        'main',
      ),
    ).toEqual({ ready: true, message: '1 attached resource(s) ready' });
  });

  it('fails for good, naming the type and name of a failed one', async () => {
    const error = await attachedReadiness(
      lookup([
        attached('db', 'main-a', 'ready'),
        attached('queue', 'main-q', 'failed'),
      ]),
      'main',
    ).catch(e => e);
    expect(error.name).toBe('NonRetryableError');
    expect(error.message).toBe(
      "attached queue 'main-q' failed; see its request",
    );
  });
});

describe('attachedResourcesSection', () => {
  it('lists the attached resources of every type with their Secrets, and is absent without any', async () => {
    const requests = lookup([
      attached('queue', 'main-q', 'provisioning'),
      attached('db', 'main-a', 'ready', 'main', {
        secretName: 'main-a-postgres',
      }),
      attached('note', 'main-n', 'ready'),
    ]);
    expect(await attachedResourcesSection(requests, 'main')).toEqual({
      title: 'Attached resources',
      table: {
        columns: ['Type', 'Name', 'State', 'Secret'],
        rows: [
          ['db', 'main-a', 'ready', 'main-a-postgres'],
          ['queue', 'main-q', 'provisioning', ''],
        ],
      },
    });
    expect(await attachedResourcesSection(requests, 'other')).toBeUndefined();
  });
});

describe('copyAttachedResources', () => {
  const sources = [
    attached('queue', 'main-q', 'ready'),
    attached('db', 'main-a', 'ready'),
    attached('db', 'other-c', 'ready', 'other'),
  ];
  const copy = (
    api: ProvisioningCalls | undefined,
    seed: boolean,
    log: string[] = [],
  ) =>
    copyAttachedResources({
      calls: api,
      requests: lookup(sources),
      source: 'main',
      environment: { id: 'copy-id', name: 'feature', owner: OWNER },
      seed,
      signal: new AbortController().signal,
      log: message => log.push(message),
    });

  it('makes a request of the same type for each, attached to the copy and owned by its owner, empty', async () => {
    const { api, calls } = fakeCalls();
    const log: string[] = [];
    expect(await copy(api, false, log)).toEqual([
      { type: 'db', name: 'feature-a', seeded: false },
      { type: 'queue', name: 'feature-q', seeded: false },
    ]);
    expect(calls.actions).toEqual([]);
    expect(calls.created).toEqual([
      {
        type: 'db',
        name: 'feature-a',
        owner: OWNER,
        parameters: { size: 3, environmentName: 'feature' },
      },
      {
        type: 'queue',
        name: 'feature-q',
        owner: OWNER,
        parameters: { size: 3, environmentName: 'feature' },
      },
    ]);
    expect(log).toEqual([
      "Copied db 'main-a' as 'feature-a' (request feature-a-id), empty",
      "Copied queue 'main-q' as 'feature-q' (request feature-q-id), empty",
    ]);
  });

  it("seeds what its type can seed, keyed by the copy's request id, and copies the rest empty, saying so", async () => {
    const { api, calls } = fakeCalls();
    const log: string[] = [];
    expect(await copy(api, true, log)).toEqual([
      { type: 'db', name: 'feature-a', seeded: true },
      { type: 'queue', name: 'feature-q', seeded: false },
    ]);
    expect(calls.actions).toEqual(['main-a-id snapshot clone:copy-id']);
    expect(calls.created.map(c => c.parameters)).toEqual([
      { size: 3, from: 'main-a', environmentName: 'feature' },
      { size: 3, environmentName: 'feature' },
    ]);
    expect(log).toEqual([
      "Ran the 'snapshot' of db 'main-a' to seed its copy",
      "Copied db 'main-a' as 'feature-a' (request feature-a-id), seeded by its 'snapshot'",
      "Copied queue 'main-q' as 'feature-q' (request feature-q-id), empty: queue has no way to seed a copy",
    ]);
  });

  it('fails for good on a refusal, and is retried while the source is busy', async () => {
    const refused = await copy(
      fakeCalls({
        createError: new ProvisioningApiError(409, 'quota exceeded'),
      }).api,
      false,
    ).catch(e => e);
    expect(refused.name).toBe('NonRetryableError');
    expect(refused.message).toBe(
      "copying db 'main-a' as 'feature-a': quota exceeded",
    );
    const busy = await copy(
      fakeCalls({
        actionError: new ProvisioningApiError(409, 'an operation is running'),
      }).api,
      true,
    ).catch(e => e);
    expect(busy.name).toBe('ProvisioningApiError');
    const unknown = await copy(
      fakeCalls({ actionError: new ProvisioningApiError(404, 'no action') })
        .api,
      true,
    ).catch(e => e);
    expect(unknown.name).toBe('NonRetryableError');
    expect(unknown.message).toBe(
      "running the 'snapshot' of db 'main-a' to seed its copy: no action",
    );
  });

  it("uses the copy's request when a copied workload made it first (409), and only then", async () => {
    const { api, calls } = fakeCalls({
      createError: new ProvisioningApiError(409, 'exists'),
    });
    const madeByWorkload = attached(
      'db',
      'feature-a',
      'provisioning',
      'feature',
    );
    const result = await copyAttachedResources({
      calls: api,
      requests: lookup([...sources, madeByWorkload]),
      source: 'main',
      environment: { id: 'copy-id', name: 'feature', owner: OWNER },
      seed: false,
      signal: new AbortController().signal,
      log: () => undefined,
    }).catch(e => e);
    // The db is the one made meanwhile; the queue, refused and not there, fails for good.
    expect(result.name).toBe('NonRetryableError');
    expect(result.message).toBe(
      "copying queue 'main-q' as 'feature-q': exists",
    );
    expect(calls.created).toEqual([]);

    const log: string[] = [];
    const both = await copyAttachedResources({
      calls: api,
      requests: lookup([
        ...sources,
        madeByWorkload,
        attached('queue', 'feature-q', 'ready', 'feature'),
      ]),
      source: 'main',
      environment: { id: 'copy-id', name: 'feature', owner: OWNER },
      seed: false,
      signal: new AbortController().signal,
      log: message => log.push(message),
    });
    expect(both.map(c => c.name)).toEqual(['feature-a', 'feature-q']);
    expect(log[0]).toBe(
      "Copied db 'main-a' as 'feature-a' (request feature-a-id), empty",
    );

    // Another environment's request of that name is never taken.
    const elsewhere = await copyAttachedResources({
      calls: api,
      requests: lookup([
        ...sources,
        attached('db', 'feature-a', 'ready', 'other'),
      ]),
      source: 'main',
      environment: { id: 'copy-id', name: 'feature', owner: OWNER },
      seed: false,
      signal: new AbortController().signal,
      log: () => undefined,
    }).catch(e => e);
    expect(elsewhere.message).toBe(
      "copying db 'main-a' as 'feature-a': exists",
    );
  });

  it('needs the provisioning API only when something is attached', async () => {
    await expect(
      copyAttachedResources({
        calls: undefined,
        requests: lookup(sources),
        source: 'none',
        environment: { id: 'copy-id', name: 'feature', owner: OWNER },
        seed: true,
        signal: new AbortController().signal,
        log: () => {},
      }),
    ).resolves.toEqual([]);
    await expect(copy(undefined, false)).rejects.toMatchObject({
      name: 'NonRetryableError',
      message:
        "environment 'main' has resources attached (db 'main-a', queue 'main-q'), and this portal cannot make their copies (no provisioning API)",
    });
  });
});

describe('deleteAttachedResources', () => {
  it('deletes each attached resource of every type once and retries (a plain error) while they are still there', async () => {
    const { api, calls } = fakeCalls();
    const log: string[] = [];
    const error = await deleteAttachedResources({
      calls: api,
      requests: lookup([
        attached('db', 'main-a', 'ready'),
        attached('queue', 'main-q', 'deleting'),
        attached('queue', 'main-r', 'failed'),
        attached('note', 'main-n', 'ready'),
        attached('db', 'other-c', 'ready', 'other'),
      ]),
      environment: 'main',
      signal: new AbortController().signal,
      log: message => log.push(message),
      timeoutMs: 10,
    }).catch(e => e);
    expect(calls.deleted).toEqual(['main-a-id', 'main-r-id']);
    expect(log).toEqual([
      "Deleting attached db 'main-a'",
      "Deleting attached queue 'main-r'",
    ]);
    expect(error.name).toBe('Error');
    expect(error.message).toMatch(
      /^attached resource\(s\) db 'main-a' \(ready\), queue 'main-q' \(deleting\), queue 'main-r' \(failed\) still not deleted/,
    );
  });

  it('returns how many it deleted once they are gone', async () => {
    const requests = [
      attached('db', 'main-a', 'ready'),
      attached('queue', 'main-q', 'ready'),
    ];
    const api: ProvisioningCalls = {
      ...fakeCalls().api,
      async deleteRequest(id) {
        requests.find(r => r.id === id)!.state = 'deleted';
      },
    };
    await expect(
      deleteAttachedResources({
        calls: api,
        requests: lookup(requests),
        environment: 'main',
        signal: new AbortController().signal,
        log: () => {},
      }),
    ).resolves.toBe(2);
  });

  it('is done at once without attached resources, and refuses for good without the API', async () => {
    const none = await deleteAttachedResources({
      calls: undefined,
      requests: lookup([
        attached('db', 'other-c', 'ready', 'other'),
        attached('note', 'main-n', 'ready'),
      ]),
      environment: 'main',
      signal: new AbortController().signal,
      log: () => {},
    });
    expect(none).toBe(0);
    const error = await deleteAttachedResources({
      calls: undefined,
      requests: lookup([attached('queue', 'main-q', 'ready')]),
      environment: 'main',
      signal: new AbortController().signal,
      log: () => {},
    }).catch(e => e);
    expect(error.name).toBe('NonRetryableError');
    expect(error.message).toBe(
      "environment 'main' has resources attached (queue 'main-q'), and this portal cannot delete them (no provisioning API)",
    );
  });
});

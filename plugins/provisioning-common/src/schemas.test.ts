import {
  actionBodySchema,
  createRequestBodySchema,
  listRequestsQuerySchema,
} from './schemas';

const issues = (result: { success: boolean; error?: { issues: any[] } }) =>
  result.error?.issues.map(issue => ({
    path: issue.path.join('.'),
    message: issue.message,
    keys: issue.keys,
  }));

describe('createRequestBodySchema', () => {
  it('accepts a complete body', () => {
    const body = {
      type: 'postgres',
      name: 'orders-db',
      owner: 'group:default/payments-team',
      parameters: { sizeGb: 10 },
    };
    expect(createRequestBodySchema.parse(body)).toEqual(body);
  });

  it('names every missing or malformed field', () => {
    expect(
      issues(
        createRequestBodySchema.safeParse({ name: 'Orders_DB', extra: 1 }),
      ),
    ).toEqual([
      { path: 'type', message: 'is required' },
      {
        path: 'name',
        message:
          'must be lowercase letters, digits and dashes, starting and ending with a letter or digit',
      },
      { path: 'owner', message: 'is required' },
      expect.objectContaining({ path: '', keys: ['extra'] }),
    ]);
  });

  it('refuses parameters that are not an object', () => {
    expect(
      issues(
        createRequestBodySchema.safeParse({
          type: 't',
          name: 'n',
          owner: 'o',
          parameters: [1],
        }),
      ),
    ).toEqual([{ path: 'parameters', message: 'must be an object' }]);
  });
});

describe('actionBodySchema', () => {
  it('takes an optional input and idempotency key', () => {
    expect(actionBodySchema.parse({})).toEqual({});
    expect(issues(actionBodySchema.safeParse({ idempotencyKey: '' }))).toEqual([
      { path: 'idempotencyKey', message: 'must not be empty' },
    ]);
  });
});

describe('listRequestsQuerySchema', () => {
  it('splits states and owners and applies paging defaults', () => {
    expect(
      listRequestsQuerySchema.parse({ state: 'ready,failed', owner: 'x, y' }),
    ).toEqual({
      state: ['ready', 'failed'],
      owner: ['x', 'y'],
      limit: 100,
      offset: 0,
    });
  });

  it('names an unknown state', () => {
    expect(
      issues(listRequestsQuerySchema.safeParse({ state: 'ready,done' })),
    ).toEqual([
      {
        path: 'state.1',
        message: expect.stringMatching(/^must be one of pending-approval, /),
      },
    ]);
  });
});

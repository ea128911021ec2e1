import { refuseNulCharacters } from './refuseNulCharacters';

/** What the middleware passes on for a request of this path, query and body. */
function outcome(req: { path?: string; query?: object; body?: unknown }) {
  let passed: unknown = 'not called';
  refuseNulCharacters()(
    { path: '/', query: {}, body: {}, ...req } as any,
    {} as any,
    error => {
      passed = error;
    },
  );
  return passed as Error | undefined;
}

describe('refuseNulCharacters', () => {
  it('lets requests without a NUL character through', () => {
    expect(
      outcome({
        path: '/incidents/42',
        query: { owner: 'group:default/a' },
        body: { summary: 'Checkout fails', tags: ['a', 'b'], n: 1, x: null },
      }),
    ).toBeUndefined();
  });

  it('refuses one in the path, the query or the body, naming where', () => {
    expect(outcome({ path: '/incidents/a%00b' })?.message).toBe(
      'Invalid input: path: must not contain the NUL character (U+0000)',
    );
    expect(outcome({ query: { owner: ['x', 'a\u0000'] } })).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('query.owner[1]:'),
    });
    expect(
      outcome({ body: { events: [{ attributes: { 'k\u0000': 1 } }] } })
        ?.message,
    ).toContain('body.events[0].attributes.k\u0000:');
    expect(outcome({ body: { summary: 'x\u0000y' } })?.message).toContain(
      'body.summary:',
    );
  });
});

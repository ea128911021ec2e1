import {
  describeLimits,
  desiredQueues,
  LIMITS_OUTPUT,
  queuePolicy,
  repeatedQueue,
  samePolicy,
} from './policies';

describe('queue policies', () => {
  it('applies max length, TTL in milliseconds and dead-lettering to exactly one queue', () => {
    const [queue] = desiredQueues(
      [
        {
          name: 'orders.created',
          deadLetter: true,
          maxLength: 500,
          messageTtlSeconds: 60,
        },
      ],
      {},
    );
    expect(queuePolicy(queue)).toEqual({
      // The dot is escaped: the policy must not match `ordersXcreated`.
      pattern: '^orders\\.created$',
      definition: {
        'max-length': 500,
        'message-ttl': 60_000,
        'dead-letter-exchange': '',
        'dead-letter-routing-key': 'orders.created.dlq',
      },
      priority: 0,
      'apply-to': 'queues',
    });
    expect(new RegExp(queuePolicy(queue)!.pattern).test('ordersXcreated')).toBe(
      false,
    );
    expect(describeLimits(queue)).toBe(
      'max length 500, message TTL 60 s, dead letters to orders.created.dlq',
    );
  });

  it('has no policy for a queue without limits or dead-lettering', () => {
    const [queue] = desiredQueues([{ name: 'plain' }], {});
    expect(queue).toEqual({ name: 'plain', deadLetter: false, limits: {} });
    expect(queuePolicy(queue)).toBeUndefined();
  });

  it('takes the limits that set-limits recorded over the requested ones, for that queue only', () => {
    const queues = desiredQueues(
      [
        { name: 'a', maxLength: 10, messageTtlSeconds: 5 },
        { name: 'b', maxLength: 20 },
      ],
      { [LIMITS_OUTPUT]: { a: { messageTtlSeconds: 30 } } },
    );
    expect(queues.map(queue => queue.limits)).toEqual([
      { messageTtlSeconds: 30 },
      { maxLength: 20 },
    ]);
  });

  it('compares policies as the broker returns them, keys in any order', () => {
    const [queue] = desiredQueues(
      [{ name: 'q', maxLength: 1, deadLetter: true }],
      {},
    );
    const wanted = queuePolicy(queue)!;
    const found = {
      ...wanted,
      definition: {
        'dead-letter-routing-key': 'q.dlq',
        'dead-letter-exchange': '',
        'max-length': 1,
      },
    };
    expect(samePolicy(found, wanted)).toBe(true);
    expect(
      samePolicy(
        { ...found, definition: { ...found.definition, 'max-length': 2 } },
        wanted,
      ),
    ).toBe(false);
    expect(samePolicy({ ...found, pattern: '.*' }, wanted)).toBe(false);
    expect(samePolicy(undefined, wanted)).toBe(false);
    expect(samePolicy(found, undefined)).toBe(false);
    expect(samePolicy(undefined, undefined)).toBe(true);
  });

  it('finds a queue name listed twice, naming the field of the repeat', () => {
    expect(repeatedQueue([{ name: 'a' }, { name: 'b' }])).toBeUndefined();
    expect(
      repeatedQueue([{ name: 'a' }, { name: 'b' }, { name: 'a' }]),
    ).toEqual({ field: 'parameters.queues[2].name', name: 'a' });
  });
});

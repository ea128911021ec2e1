import { backoffMs } from './backoff';

describe('backoffMs', () => {
  const policy = {
    maxAttempts: 10,
    initialBackoffMs: 1_000,
    maxBackoffMs: 10_000,
  };

  it('doubles after each failed attempt, up to the maximum', () => {
    expect(
      [1, 2, 3, 4, 5, 6].map(attempt => backoffMs(attempt, policy)),
    ).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });
});

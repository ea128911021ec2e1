import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isRetryableStatus, TimeoutError, withTimeout } from './index.js';

describe('withTimeout', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves with the result when the work finishes in time', async () => {
    const result = withTimeout(async () => 'fast', 1000);
    await expect(result).resolves.toBe('fast');
    // The timer is cleared, so nothing fires later.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with a TimeoutError and aborts the work when the limit is reached', async () => {
    let seenSignal: AbortSignal | undefined;
    const result = withTimeout((signal) => {
      seenSignal = signal;
      return new Promise<string>(() => {});
    }, 250);
    const assertion = expect(result).rejects.toThrow(new TimeoutError(250));

    await vi.advanceTimersByTimeAsync(250);

    await assertion;
    expect(seenSignal?.aborted).toBe(true);
    expect(seenSignal?.reason).toBeInstanceOf(TimeoutError);
  });

  it('passes on the rejection of the work itself', async () => {
    await expect(withTimeout(async () => Promise.reject(new Error('refused')), 1000)).rejects.toThrow('refused');
  });
});

describe('isRetryableStatus', () => {
  it('retries timeouts, throttling and server errors, not client errors', () => {
    expect([408, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([200, 400, 401, 403, 404, 409, 422].some(isRetryableStatus)).toBe(false);
  });
});

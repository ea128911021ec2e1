import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, HttpError, retry, sleep } from './index.js';

describe('backoffDelay', () => {
  it('grows exponentially from initialDelayMs and is capped at maxDelayMs', () => {
    const options = { initialDelayMs: 100, factor: 2, maxDelayMs: 1000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, options))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
});

describe('retry', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('retries until the operation succeeds, waiting longer each time', async () => {
    const fn = vi
      .fn<(attempt: number) => Promise<string>>()
      .mockRejectedValueOnce(new Error('ECONNRESET'))
      .mockRejectedValueOnce(new Error('ECONNRESET'))
      .mockResolvedValue('done');
    const onRetry = vi.fn();

    const result = retry(fn, { attempts: 5, jitter: false, initialDelayMs: 100, onRetry });

    await vi.advanceTimersByTimeAsync(0);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(fn).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(199);
    expect(fn).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);

    await expect(result).resolves.toBe('done');
    expect(fn.mock.calls.map(([attempt]) => attempt)).toEqual([1, 2, 3]);
    expect(onRetry.mock.calls.map(([, attempt, delayMs]) => [attempt, delayMs])).toEqual([
      [1, 100],
      [2, 200],
    ]);
  });

  it('rejects with the last error once every attempt has failed', async () => {
    let calls = 0;
    const result = retry(
      async () => {
        calls++;
        throw new Error(`failure ${calls}`);
      },
      { attempts: 3, jitter: false },
    );
    const assertion = expect(result).rejects.toThrow('failure 3');
    await vi.runAllTimersAsync();
    await assertion;
    expect(calls).toBe(3);
  });

  it('does not retry errors that shouldRetry calls final', async () => {
    const fn = vi.fn(async () => {
      throw new HttpError(404);
    });

    await expect(
      retry(fn, { shouldRetry: (error) => error instanceof HttpError && error.retryable }),
    ).rejects.toThrow('HTTP 404');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('waits a random time up to the backoff delay with jitter', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.25);
    const onRetry = vi.fn();
    const fn = vi.fn<() => Promise<number>>().mockRejectedValueOnce(new Error('busy')).mockResolvedValue(1);

    const result = retry(fn, { initialDelayMs: 400, onRetry });
    await vi.runAllTimersAsync();

    await expect(result).resolves.toBe(1);
    expect(onRetry).toHaveBeenCalledWith(expect.any(Error), 1, 100);
  });

  it('stops waiting when aborted', async () => {
    const controller = new AbortController();
    const fn = vi.fn(async () => {
      throw new Error('down');
    });

    const result = retry(fn, { attempts: 10, jitter: false, initialDelayMs: 1000, signal: controller.signal });
    const assertion = expect(result).rejects.toThrow('shutting down');
    await vi.advanceTimersByTimeAsync(500);
    controller.abort(new Error('shutting down'));
    await assertion;
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('refuses a nonsensical number of attempts', async () => {
    await expect(retry(async () => 1, { attempts: 0 })).rejects.toThrow(RangeError);
  });
});

describe('sleep', () => {
  it('rejects at once when the signal is already aborted', async () => {
    await expect(sleep(10_000, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
  });
});

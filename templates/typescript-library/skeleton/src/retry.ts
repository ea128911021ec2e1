export interface BackoffOptions {
  /** Delay before the first retry, in milliseconds. Default 100. */
  initialDelayMs?: number;
  /** Upper bound of a single delay, in milliseconds. Default 10 000. */
  maxDelayMs?: number;
  /** Each delay is the previous one times this. Default 2. */
  factor?: number;
}

export interface RetryOptions extends BackoffOptions {
  /** Attempts in total, the first one included. Default 3. */
  attempts?: number;
  /**
   * "Full jitter": wait a random time between 0 and the computed delay, so that
   * many clients failing together do not retry together. Default true.
   */
  jitter?: boolean;
  /**
   * Whether an error is worth another attempt. Default: every error is. Return
   * false for errors that will not go away, such as validation errors or HTTP 4xx
   * (see isRetryableStatus).
   */
  shouldRetry?: (error: unknown, attempt: number) => boolean;
  /** Called before waiting for the next attempt, e.g. to log or count retries. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Aborting stops waiting and retrying; retry then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * The delay before retry number `retry` (1 for the first retry), without jitter:
 * initialDelayMs * factor^(retry - 1), capped at maxDelayMs.
 */
export function backoffDelay(retry: number, options: BackoffOptions = {}): number {
  const { initialDelayMs = 100, maxDelayMs = 10_000, factor = 2 } = options;
  return Math.min(maxDelayMs, initialDelayMs * factor ** Math.max(0, retry - 1));
}

/**
 * Calls `fn` until it resolves, at most `attempts` times, waiting with exponential
 * backoff between attempts. Rejects with the last error when every attempt failed
 * or `shouldRetry` says the error is final.
 *
 * `fn` receives the attempt number (1-based), e.g. for logging.
 *
 * Only retry operations that are safe to repeat (reads, idempotent writes).
 */
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const { attempts = 3, jitter = true, shouldRetry = () => true, onRetry, signal } = options;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new RangeError(`attempts must be a positive integer, got ${attempts}`);
  }

  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts || !shouldRetry(error, attempt)) throw error;
      const delay = backoffDelay(attempt, options);
      const delayMs = jitter ? Math.round(Math.random() * delay) : delay;
      onRetry?.(error, attempt, delayMs);
      await sleep(delayMs, signal);
    }
  }
}

/** Resolves after `ms` milliseconds; rejects with the signal's reason when it is aborted first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

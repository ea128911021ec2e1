/** How often and how patiently failed steps are retried. */
export interface RetryPolicy {
  /** Attempts per operation, the first included; then it fails with the last error. */
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
}

/** The wait before attempt `failedAttempt + 1`: doubling from the initial backoff, capped. */
export function backoffMs(failedAttempt: number, policy: RetryPolicy): number {
  const exponent = Math.max(0, failedAttempt - 1);
  return Math.min(policy.initialBackoffMs * 2 ** exponent, policy.maxBackoffMs);
}

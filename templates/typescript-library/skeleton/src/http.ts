/**
 * Whether an HTTP status is worth retrying: 408 Request Timeout, 429 Too Many
 * Requests and 5xx server errors. Other 4xx mean the request itself is wrong and
 * will fail again. Use it as retry's shouldRetry for HTTP calls.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/** An HTTP response with an unexpected status, carrying the status for shouldRetry. */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly status: number,
    message = `HTTP ${status}`,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return isRetryableStatus(this.status);
  }
}

/**
 * The public API of ${{ values.name }}. Everything exported here is covered by
 * semver: removing or changing it is a major release (see CHANGELOG.md).
 *
 * @packageDocumentation
 */
export { andThen, err, fromPromise, map, mapErr, ok, toError, unwrap, unwrapOr } from './result.js';
export type { Err, Ok, Result } from './result.js';
export { backoffDelay, retry, sleep } from './retry.js';
export type { BackoffOptions, RetryOptions } from './retry.js';
export { TimeoutError, withTimeout } from './timeout.js';
export { HttpError, isRetryableStatus } from './http.js';

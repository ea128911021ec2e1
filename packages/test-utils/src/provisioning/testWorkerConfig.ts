/**
 * `provisioning.worker` for tests: polls every 50 ms and gives up after a second
 * attempt, so that a test waits milliseconds for a request, never the defaults'
 * seconds. `observeIntervalMs` for types that observe their resources.
 */
export function testWorkerConfig(options: { observeIntervalMs?: number } = {}) {
  return {
    pollInterval: { milliseconds: 50 },
    ...(options.observeIntervalMs
      ? { observeInterval: { milliseconds: options.observeIntervalMs } }
      : {}),
    retry: { maxAttempts: 2, initialBackoff: { milliseconds: 50 } },
  };
}

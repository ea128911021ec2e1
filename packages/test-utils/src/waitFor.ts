/**
 * Polls `check` until it returns a value other than undefined/false, or throws after
 * `timeoutMs` with `description` and the last error seen.
 */
export async function waitFor<T>(
  description: string,
  check: () => Promise<T | undefined | false>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const { timeoutMs = 30_000, intervalMs = 250 } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result !== undefined && result !== false) {
        return result;
      }
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const detail = lastError ? ` (last error: ${String(lastError)})` : '';
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${description}${detail}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}

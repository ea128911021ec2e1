/**
 * The API's health endpoint. Services from the Paved typescript-service golden path
 * serve GET /healthz; change this if your API uses another path.
 */
export const HEALTH_PATH = '/healthz';

export type ApiHealth =
  | { status: 'up' }
  | { status: 'down'; reason: string };

/** Calls the API's health endpoint; never throws, so the page can always show a result. */
export async function checkApi(
  apiBaseUrl: string,
  fetchFn: typeof fetch = (...args) => fetch(...args),
  timeoutMs = 5000,
): Promise<ApiHealth> {
  try {
    const res = await fetchFn(`${apiBaseUrl}${HEALTH_PATH}`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (res.ok) return { status: 'up' };
    return { status: 'down', reason: `HTTP ${res.status}` };
  } catch (err) {
    const reason = err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'unreachable';
    return { status: 'down', reason };
  }
}

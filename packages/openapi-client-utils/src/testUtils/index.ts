/**
 * Stand-ins for testing a client built on a generated one: a backend that answers
 * every call with a given response and records what was sent.
 *
 * @packageDocumentation
 */

/**
 * A JSON response with `status`.
 *
 * @public
 */
export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

/**
 * An error response as Backstage's error middleware writes it.
 *
 * @public
 */
export function errorResponse(
  status: number,
  error: { name: string; message: string },
): Response {
  return jsonResponse({ error, response: { statusCode: status } }, status);
}

/**
 * The `discoveryApi` and `fetchApi` of a client under test: the backend of every
 * plugin is at `http://backend/api/<pluginId>`, every call is answered with a fresh
 * `respond()` and recorded in `calls`.
 *
 * @public
 */
export function fakeBackend(respond: () => Response = () => jsonResponse({})) {
  const calls: Array<{ url: string; method: string; body?: string }> = [];
  return {
    discoveryApi: {
      getBaseUrl: async (pluginId: string) => `http://backend/api/${pluginId}`,
    },
    fetchApi: {
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        calls.push({
          url: String(input),
          method: init?.method ?? 'GET',
          body: init?.body === undefined ? undefined : String(init.body),
        });
        return respond();
      }) as typeof fetch,
    },
    calls,
  };
}

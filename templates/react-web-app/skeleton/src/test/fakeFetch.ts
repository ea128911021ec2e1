import { vi } from 'vitest';

type Route = () => Response | Promise<Response>;

/** A fetch that answers from a table of URL -> response; unknown URLs fail like a network error. */
export function fakeFetch(routes: Record<string, Route>) {
  return vi.fn(async (input: RequestInfo | URL) => {
    const url = input instanceof Request ? input.url : String(input);
    const route = routes[url];
    if (!route) throw new TypeError(`Failed to fetch ${url}`);
    return route();
  });
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { waitFor } from '../waitFor';

/**
 * The provisioning plugin's HTTP API in a test backend, as `user` unless a call
 * says otherwise, with waits for a request's state.
 *
 * @param server - the test backend's server; a function, as the backend usually starts in `beforeAll`
 */
export function provisioningApi(
  server: () => Parameters<typeof request>[0],
  user = 'user:default/bob',
) {
  /** A call of `/api/provisioning<path>`, with `authorization` (the user's if absent). */
  const api = (
    method: 'get' | 'post' | 'delete',
    path: string,
    authorization = mockCredentials.user.header(user),
  ) =>
    request(server())
      [method](`/api/provisioning${path}`)
      .set('authorization', authorization);

  /**
   * The request once it is in `state` (and, with `idle`, has no operation left to
   * run); a request that failed while another state was awaited is an error.
   */
  const waitForState = (
    id: string,
    state: string,
    options: { idle?: boolean; timeoutMs?: number } = {},
  ) =>
    waitFor(
      `request ${id} to be ${state}`,
      async () => {
        const response = await api('get', `/requests/${id}`);
        if (response.body.state === 'failed' && state !== 'failed') {
          throw new Error(`request failed: ${response.body.lastError}`);
        }
        return response.body.state === state &&
          !(options.idle && response.body.activeOperation)
          ? response.body
          : undefined;
      },
      { timeoutMs: options.timeoutMs },
    );

  /** The request once its operation is done. */
  const waitForIdle = (id: string) =>
    waitFor(`request ${id} to finish its operation`, async () => {
      const response = await api('get', `/requests/${id}`);
      return response.body.activeOperation ? undefined : response.body;
    });

  /** The resource type as `GET /types` lists it, or undefined. */
  const listedType = async (id: string) =>
    (await api('get', '/types')).body.items.find(
      (type: { id: string }) => type.id === id,
    );

  /**
   * Expects each request body to be refused with a 400 whose message matches, and
   * nothing to be stored for `owner`.
   */
  const expectRefused = async (
    owner: string,
    cases: Array<[label: string, body: object, message: RegExp]>,
  ) => {
    for (const [label, body, message] of cases) {
      const response = await api('post', '/requests').send(body);
      // The label in the expectation names the case that was not refused.
      expect({ label, status: response.status }).toEqual({
        label,
        status: 400,
      });
      expect(response.body.error.message).toMatch(message);
    }
    const stored = await api(
      'get',
      `/requests?owner=${encodeURIComponent(owner)}`,
    );
    expect(stored.body.items).toEqual([]);
  };

  /**
   * Requests of `type` for `owner` (unless a call names another): a request's body,
   * making one that must be accepted (its id kept in `ids`), and bad ones that must be
   * refused (`[name, parameters, message]`, see `expectRefused`).
   */
  const requestsOf = (type: string, owner: string) => {
    const ids = new Set<string>();
    const body = (name: string, parameters: object = {}, as = owner) => ({
      type,
      name,
      owner: as,
      parameters,
    });
    return {
      ids,
      body,
      async create(name: string, parameters: object = {}, as = owner) {
        const response = await api('post', '/requests').send(
          body(name, parameters, as),
        );
        expect(response.body.error?.message).toBeUndefined();
        ids.add(response.body.id);
        return response.body as { id: string; state: string };
      },
      expectRefused: (
        cases: Array<[name: string, parameters: object, message: RegExp]>,
      ) =>
        expectRefused(
          owner,
          cases.map(([name, parameters, message]) => [
            name,
            body(name, parameters),
            message,
          ]),
        ),
    };
  };

  return {
    api,
    waitForState,
    waitForIdle,
    listedType,
    expectRefused,
    requestsOf,
  };
}

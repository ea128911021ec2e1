import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import { responseBody } from '@paved/openapi-client-utils';
import { ProvisioningApiClient } from '@paved/plugin-provisioning-common';
import { ProvisioningApiError, ProvisioningCalls } from './ProvisioningCalls';

/**
 * The provisioning API over HTTP, called as the provisioning plugin itself (its own
 * service credentials), so that permissions, quotas and the audit trail apply.
 */
export function provisioningCalls(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): ProvisioningCalls {
  const api = new ProvisioningApiClient({
    discoveryApi: options.discovery,
    fetchApi: { fetch },
  });
  const token = async () =>
    options.auth.getPluginRequestToken({
      onBehalfOf: await options.auth.getOwnServiceCredentials(),
      targetPluginId: 'provisioning',
    });
  return {
    async createRequest(body) {
      return json(api.createRequest({ body }, await token()));
    },
    async getRequest(id) {
      return json(api.getRequest({ path: { id } }, await token()));
    },
    async runAction(id, action, idempotencyKey) {
      return json(
        api.runAction(
          { path: { id, action }, body: { input: {}, idempotencyKey } },
          await token(),
        ),
      );
    },
    async deleteRequest(id) {
      await json(api.deleteRequest({ path: { id } }, await token()));
    },
  };
}

/** The body of a successful call; a {@link ProvisioningApiError} with the API's status and message otherwise. */
async function json<T>(pending: Promise<Response>): Promise<T> {
  return responseBody<T>(pending).catch(error => {
    throw ResponseError.is(error)
      ? new ProvisioningApiError(error.statusCode, error.cause.message)
      : error;
  });
}

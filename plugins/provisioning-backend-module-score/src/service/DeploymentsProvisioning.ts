import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { responseBody } from '@paved/openapi-client-utils';
import {
  ACTIVE_REQUEST_STATES,
  ProvisioningApiClient,
  ProvisioningOperation,
  ProvisioningRequest,
} from '@paved/plugin-provisioning-common';

/**
 * What the deployments API asks of the provisioning API, always as the caller (a
 * plugin request token on their behalf), so that the engine's permissions, quotas,
 * approvals and audit trail apply to every deploy as they do in the portal. Kept
 * this small so that the service's logic is tested without HTTP.
 *
 * A refusal of the provisioning API is thrown as the same kind of error with the
 * API's own message: a 409 for a busy workload stays a 409 naming why.
 */
export interface DeploymentsProvisioning {
  /** The active request of a type with this name, if the caller can see one. */
  findRequest(
    type: string,
    name: string,
    credentials: BackstageCredentials,
  ): Promise<ProvisioningRequest | undefined>;
  /** Active requests of a type, optionally of one owner. */
  listRequests(
    query: { type: string; owner?: string },
    credentials: BackstageCredentials,
  ): Promise<ProvisioningRequest[]>;
  createRequest(
    body: { type: string; name: string; owner: string; parameters: JsonObject },
    credentials: BackstageCredentials,
  ): Promise<ProvisioningRequest>;
  runAction(
    id: string,
    action: string,
    body: { input: JsonObject; idempotencyKey: string },
    credentials: BackstageCredentials,
  ): Promise<ProvisioningOperation>;
}

const ACTIVE_STATES = ACTIVE_REQUEST_STATES.join(',');

/** The provisioning API over HTTP, called on behalf of the caller. */
export function httpDeploymentsProvisioning(options: {
  discovery: DiscoveryService;
  auth: AuthService;
}): DeploymentsProvisioning {
  const api = new ProvisioningApiClient({
    discoveryApi: options.discovery,
    fetchApi: { fetch },
  });
  const as = async (credentials: BackstageCredentials) =>
    options.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'provisioning',
    });
  return {
    async findRequest(type, name, credentials) {
      const page = await forwarded<{ items: ProvisioningRequest[] }>(
        api.listRequests(
          { query: { type, name, state: ACTIVE_STATES, limit: 1 } },
          await as(credentials),
        ),
      );
      return page.items[0];
    },
    async listRequests({ type, owner }, credentials) {
      const page = await forwarded<{ items: ProvisioningRequest[] }>(
        api.listRequests(
          { query: { type, owner, state: ACTIVE_STATES, limit: 500 } },
          await as(credentials),
        ),
      );
      return page.items;
    },
    async createRequest(body, credentials) {
      return forwarded(api.createRequest({ body }, await as(credentials)));
    },
    async runAction(id, action, body, credentials) {
      return forwarded(
        api.runAction({ path: { id, action }, body }, await as(credentials)),
      );
    },
  };
}

const FORWARDED: Record<number, new (message: string) => Error> = {
  400: InputError,
  403: NotAllowedError,
  404: NotFoundError,
  409: ConflictError,
};

/**
 * The body of a successful response. A refusal is answered as it is (a 400 stays a
 * 400 naming the field, a 409 a 409); anything else stays a ResponseError (a 500).
 */
async function forwarded<T>(pending: Promise<Response>): Promise<T> {
  return responseBody<T>(pending).catch(error => {
    const Forwarded = ResponseError.is(error)
      ? FORWARDED[error.statusCode]
      : undefined;
    throw Forwarded ? new Forwarded(error.cause.message) : error;
  });
}

import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { responseBody } from '@paved/openapi-client-utils';
import {
  ProvisioningApiClient,
  ProvisioningRequestDetails,
  ResourceTypeInfo,
} from '@paved/plugin-provisioning-common';
import { JsonObject } from '@backstage/types';

/** What the scaffolder needs of the provisioning API, on behalf of the task's user. */
export interface ProvisioningClient {
  listTypes(credentials: BackstageCredentials): Promise<ResourceTypeInfo[]>;
  createRequest(
    body: { type: string; name: string; owner: string; parameters: JsonObject },
    credentials: BackstageCredentials,
  ): Promise<ProvisioningRequestDetails>;
  getRequest(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<ProvisioningRequestDetails>;
}

/**
 * The provisioning plugin's HTTP API through its generated client, called with the
 * initiating user's identity.
 */
export class HttpProvisioningClient implements ProvisioningClient {
  private readonly api: ProvisioningApiClient;

  constructor(discovery: DiscoveryService, private readonly auth: AuthService) {
    this.api = new ProvisioningApiClient({
      discoveryApi: discovery,
      fetchApi: { fetch },
    });
  }

  async listTypes(credentials: BackstageCredentials) {
    const body = await responseBody<{ items: ResourceTypeInfo[] }>(
      this.api.listResourceTypes({}, await this.options(credentials)),
    );
    return body.items;
  }

  async createRequest(
    body: { type: string; name: string; owner: string; parameters: JsonObject },
    credentials: BackstageCredentials,
  ) {
    return responseBody<ProvisioningRequestDetails>(
      this.api.createRequest({ body }, await this.options(credentials)),
    );
  }

  async getRequest(id: string, credentials: BackstageCredentials) {
    return responseBody<ProvisioningRequestDetails>(
      this.api.getRequest({ path: { id } }, await this.options(credentials)),
    );
  }

  private async options(credentials: BackstageCredentials) {
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'provisioning',
    });
    return { token };
  }
}

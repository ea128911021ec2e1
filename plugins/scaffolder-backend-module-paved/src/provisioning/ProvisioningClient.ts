import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
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

/** The provisioning plugin's HTTP API, called with the initiating user's identity. */
export class HttpProvisioningClient implements ProvisioningClient {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly auth: AuthService,
  ) {}

  async listTypes(credentials: BackstageCredentials) {
    const body = await this.call<{ items: ResourceTypeInfo[] }>(
      'GET',
      '/types',
      credentials,
    );
    return body.items;
  }

  createRequest(
    body: { type: string; name: string; owner: string; parameters: JsonObject },
    credentials: BackstageCredentials,
  ) {
    return this.call<ProvisioningRequestDetails>(
      'POST',
      '/requests',
      credentials,
      body,
    );
  }

  getRequest(id: string, credentials: BackstageCredentials) {
    return this.call<ProvisioningRequestDetails>(
      'GET',
      `/requests/${encodeURIComponent(id)}`,
      credentials,
    );
  }

  private async call<T>(
    method: string,
    path: string,
    credentials: BackstageCredentials,
    body?: object,
  ): Promise<T> {
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'provisioning',
    });
    const response = await fetch(
      `${await this.discovery.getBaseUrl('provisioning')}${path}`,
      {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import { JsonObject } from '@backstage/types';
import { responseBody } from '@paved/openapi-client-utils';
import {
  CreateRequestBody,
  LocalClusterStatus,
  ProvisioningApiClient,
  ProvisioningOperation,
  ProvisioningRequest,
  ProvisioningRequestDetails,
  ResourceStatus,
  ResourceTypeInfo,
} from '@paved/plugin-provisioning-common';
import { ListRequestsOptions, ProvisioningApi } from './ProvisioningApi';

/**
 * {@link ProvisioningApi} over the client generated from the backend's OpenAPI
 * document; failed calls reject with `ResponseError`s (see `responseBody`).
 *
 * @public
 */
export class ProvisioningClient implements ProvisioningApi {
  private readonly client: ProvisioningApiClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.client = new ProvisioningApiClient(options);
  }

  async listTypes(): Promise<ResourceTypeInfo[]> {
    const { items } = await responseBody<{ items: ResourceTypeInfo[] }>(
      this.client.listResourceTypes({}),
    );
    return items;
  }

  createRequest(body: CreateRequestBody): Promise<ProvisioningRequest> {
    return responseBody(this.client.createRequest({ body }));
  }

  listRequests(
    options: ListRequestsOptions = {},
  ): Promise<{ items: ProvisioningRequest[]; totalCount: number }> {
    const { state, owner, ...query } = options;
    return responseBody(
      this.client.listRequests({
        query: {
          ...query,
          owner: Array.isArray(owner) ? owner.join(',') : owner,
          state: state?.length ? state.join(',') : undefined,
        },
      }),
    );
  }

  getRequest(id: string): Promise<ProvisioningRequestDetails> {
    return responseBody(this.client.getRequest({ path: { id } }));
  }

  getRequestStatus(id: string): Promise<ResourceStatus> {
    return responseBody(this.client.getRequestStatus({ path: { id } }));
  }

  approveRequest(id: string, comment?: string): Promise<ProvisioningRequest> {
    return responseBody(
      this.client.approveRequest({ path: { id }, body: { comment } }),
    );
  }

  rejectRequest(id: string, comment: string): Promise<ProvisioningRequest> {
    return responseBody(
      this.client.rejectRequest({ path: { id }, body: { comment } }),
    );
  }

  runAction(
    id: string,
    action: string,
    options: { input: JsonObject; idempotencyKey?: string },
  ): Promise<ProvisioningOperation> {
    return responseBody(
      this.client.runAction({ path: { id, action }, body: options }),
    );
  }

  deleteRequest(id: string): Promise<ProvisioningRequest> {
    return responseBody(this.client.deleteRequest({ path: { id } }));
  }

  recordActivity(id: string): Promise<ProvisioningRequest> {
    return responseBody(this.client.recordActivity({ path: { id } }));
  }

  extendRequest(id: string, hours: number): Promise<ProvisioningRequest> {
    return responseBody(
      this.client.extendRequest({ path: { id }, body: { hours } }),
    );
  }

  getLocalCluster(): Promise<LocalClusterStatus> {
    return responseBody(this.client.getLocalCluster({}));
  }
}

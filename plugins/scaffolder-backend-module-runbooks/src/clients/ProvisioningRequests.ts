import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { refusalAsInputError, responseBody } from '@paved/openapi-client-utils';
import {
  ProvisioningApiClient,
  ProvisioningOperation,
  ProvisioningRequest,
  ProvisioningRequestDetails,
} from '@paved/plugin-provisioning-common';
import { JsonObject } from '@backstage/types';

/** What runbooks need of the provisioning API, on behalf of the task's user. */
export class ProvisioningRequests {
  private readonly api: ProvisioningApiClient;

  constructor(discovery: DiscoveryService, private readonly auth: AuthService) {
    this.api = new ProvisioningApiClient({
      discoveryApi: discovery,
      fetchApi: { fetch },
    });
  }

  /** Every request, newest first, optionally of one type. */
  async list(
    credentials: BackstageCredentials,
    type?: string,
  ): Promise<ProvisioningRequest[]> {
    const items: ProvisioningRequest[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = await responseBody<{
        items: ProvisioningRequest[];
        totalCount: number;
      }>(
        this.api.listRequests(
          { query: { type, limit: 500, offset } },
          await this.options(credentials),
        ),
      );
      items.push(...page.items);
      if (page.items.length < 500 || items.length >= page.totalCount) {
        return items;
      }
    }
  }

  /** The live request of `type` named `name`; an InputError naming it otherwise. */
  async find(
    credentials: BackstageCredentials,
    type: string,
    name: string,
  ): Promise<ProvisioningRequest> {
    const found = (await this.list(credentials, type)).find(
      request => request.name === name && request.state !== 'deleted',
    );
    if (!found) {
      throw new InputError(
        `Unable to find a ${type} named '${name}' in self-service`,
      );
    }
    return found;
  }

  async get(
    credentials: BackstageCredentials,
    id: string,
  ): Promise<ProvisioningRequestDetails> {
    return responseBody(
      this.api.getRequest({ path: { id } }, await this.options(credentials)),
    );
  }

  async runAction(
    credentials: BackstageCredentials,
    options: {
      id: string;
      action: string;
      input: JsonObject;
      idempotencyKey: string;
    },
  ): Promise<ProvisioningOperation> {
    return responseBody<ProvisioningOperation>(
      this.api.runAction(
        {
          path: { id: options.id, action: options.action },
          body: {
            input: options.input,
            idempotencyKey: options.idempotencyKey,
          },
        },
        await this.options(credentials),
      ),
    ).catch(throwRefusalAsInputError);
  }

  async extend(
    credentials: BackstageCredentials,
    id: string,
    hours: number,
  ): Promise<ProvisioningRequest> {
    return responseBody<ProvisioningRequest>(
      this.api.extendRequest(
        { path: { id }, body: { hours } },
        await this.options(credentials),
      ),
    ).catch(throwRefusalAsInputError);
  }

  private async options(credentials: BackstageCredentials) {
    const { token } = await this.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'provisioning',
    });
    return { token };
  }
}

/** The API's 4xx (which names the field) becomes the task's error, as it is. */
function throwRefusalAsInputError(error: unknown): never {
  throw refusalAsInputError(error);
}

import { JsonObject } from '@backstage/types';
import { ProvisioningRequest } from '@paved/plugin-provisioning-common';
import {
  AttachedRequest,
  listAttachedRequests,
  ReferencedRequest,
  RequestLookup,
  ResourceType,
} from '@paved/plugin-provisioning-node';
import { isDeepStrictEqual } from 'node:util';
import { RequestStore } from '../database/RequestStore';
import { stepRequestOf } from './stepRequestOf';

/** A request as steps and policies see it: no approval, no operation. */
export function toReferencedRequest(
  request: ProvisioningRequest,
): ReferencedRequest {
  return {
    ...stepRequestOf(request),
    state: request.state,
    outputs: request.outputs,
  };
}

/** The {@link RequestLookup} that steps and status hooks get: the stored requests. */
export class StoreRequestLookup implements RequestLookup {
  constructor(
    private readonly store: RequestStore,
    /** The registered types, for `listAttached`. */
    private readonly types: { all(): ResourceType[] },
  ) {}

  listAttached(environment: string): Promise<AttachedRequest[]> {
    return listAttachedRequests(
      this.types.all(),
      (type, parameters) => this.listActive(type, parameters),
      environment,
    );
  }

  async findActive(
    type: string,
    name: string,
  ): Promise<ReferencedRequest | undefined> {
    const request = await this.store.findActiveByTypeAndName(type, name);
    return request ? toReferencedRequest(request) : undefined;
  }

  async listActive(
    type: string,
    parameters: JsonObject = {},
  ): Promise<ReferencedRequest[]> {
    const requests = await this.store.listActiveOfType(type);
    return requests
      .filter(request =>
        Object.entries(parameters).every(([key, value]) =>
          isDeepStrictEqual(request.parameters[key], value),
        ),
      )
      .map(toReferencedRequest);
  }
}

import { JsonObject } from '@backstage/types';

/** A refusal or failure of the provisioning API, with its status code. */
export class ProvisioningApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ProvisioningApiError';
  }
}

/**
 * What the environment type asks of the provisioning API. Kept this small so that
 * the attachment logic does not depend on HTTP; failures are
 * {@link ProvisioningApiError}s.
 */
export interface ProvisioningCalls {
  /** POST /requests: idempotent when an active request has the same parameters. */
  createRequest(body: {
    type: string;
    name: string;
    owner: string;
    parameters: JsonObject;
  }): Promise<{ id: string; state: string }>;
  /** GET /requests/{id}: with its operations. */
  getRequest(id: string): Promise<{
    state: string;
    operations: Array<{ id: string; status: string; lastError?: string }>;
  }>;
  /** POST /requests/{id}/actions/{action}: the operation, the same for one key. */
  runAction(
    id: string,
    action: string,
    idempotencyKey: string,
  ): Promise<{ id: string }>;
  /** DELETE /requests/{id}: idempotent. */
  deleteRequest(id: string): Promise<void>;
}

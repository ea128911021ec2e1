import { ProvisioningRequest } from '@paved/plugin-provisioning-common';
import { StepRequest } from '@paved/plugin-provisioning-node';

/**
 * A stored request as resource types see it in steps, status and drift hooks: what
 * was asked and by whom, nothing of its approval, operations or outputs.
 */
export function stepRequestOf(request: ProvisioningRequest): StepRequest {
  const { id, type, name, owner, parameters, createdBy } = request;
  return { id, type, name, owner, parameters, createdBy };
}

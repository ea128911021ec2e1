export { provisioningApiRef } from './ProvisioningApi';
export type { ProvisioningApi, ListRequestsOptions } from './ProvisioningApi';
export { ProvisioningClient } from './ProvisioningClient';

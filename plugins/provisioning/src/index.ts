/**
 * Self-service provisioning in the portal (new frontend system).
 *
 * @packageDocumentation
 */
export { provisioningPlugin as default } from './plugin';
export { LocalClusterNotice } from './components/LocalClusterNotice';
export {
  provisioningApiRef,
  ProvisioningClient,
  type ProvisioningApi,
  type ListRequestsOptions,
} from './api';

/**
 * Paved's provisioning engine: durable resource requests, policy and approvals, and
 * a leased worker that runs the steps of the resource types modules register.
 *
 * @packageDocumentation
 */
export { provisioningPlugin as default } from './plugin';

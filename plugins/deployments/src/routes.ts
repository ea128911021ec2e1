import { createExternalRouteRef } from '@backstage/frontend-plugin-api';

/**
 * "My resources" of the provisioning plugin (`/self-service/requests`), whose
 * `/<id>` is a request's page: a deployment's workload request, with its progress,
 * timeline and actions.
 */
export const requestsRouteRef = createExternalRouteRef({
  defaultTarget: 'provisioning.requests',
});

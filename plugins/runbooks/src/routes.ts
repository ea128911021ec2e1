import { createExternalRouteRef } from '@backstage/frontend-plugin-api';

/** An incident's page, in the incidents plugin when it is installed. */
export const incidentRouteRef = createExternalRouteRef({
  params: ['id'],
  defaultTarget: 'incidents.incident',
});

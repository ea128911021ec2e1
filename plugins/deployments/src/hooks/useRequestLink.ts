import { useRouteRef } from '@backstage/frontend-plugin-api';
import { requestsRouteRef } from '../routes';

/** Where the page of a workload request is, e.g. `/self-service/requests/r42`. */
export function useRequestLink(): (requestId: string) => string {
  const requests = useRouteRef(requestsRouteRef);
  // The provisioning plugin's address when the route is not bound (a test app).
  const base = requests?.() ?? '/self-service/requests';
  return requestId => `${base}/${encodeURIComponent(requestId)}`;
}

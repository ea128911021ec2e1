import {
  createRouteRef,
  createSubRouteRef,
} from '@backstage/frontend-plugin-api';

/** `/incidents`: the open incidents across the organisation. */
export const rootRouteRef = createRouteRef();

/** `/incidents/:id`: one incident, its timeline and what responders do. */
export const incidentRouteRef = createSubRouteRef({
  parent: rootRouteRef,
  path: '/:id',
});

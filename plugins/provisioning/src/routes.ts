import {
  createRouteRef,
  createSubRouteRef,
} from '@backstage/frontend-plugin-api';

/** `/self-service`: the page; its index opens the first tab. */
export const rootRouteRef = createRouteRef();

/** `/self-service/request`: the resource types to choose from. */
export const newRequestRouteRef = createRouteRef();

/** `/self-service/request/:type`: the form of one resource type. */
export const newRequestOfTypeRouteRef = createSubRouteRef({
  parent: newRequestRouteRef,
  path: '/:type',
});

/** `/self-service/requests`: "My resources", the requests of the user's groups. */
export const requestsRouteRef = createRouteRef();

/** `/self-service/requests/:id`: one request, its progress and its actions. */
export const requestRouteRef = createSubRouteRef({
  parent: requestsRouteRef,
  path: '/:id',
});

/** `/self-service/approvals`: requests waiting for the user's decision. */
export const approvalsRouteRef = createRouteRef();

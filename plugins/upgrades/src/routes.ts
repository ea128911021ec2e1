import {
  createRouteRef,
  createSubRouteRef,
} from '@backstage/frontend-plugin-api';

/** `/upgrades`: the campaigns, and creating one. */
export const rootRouteRef = createRouteRef();

/** `/upgrades/changes/:id`: a change request, its diff, merge and close. */
export const changeRouteRef = createSubRouteRef({
  parent: rootRouteRef,
  path: '/changes/:id',
});

/** `/upgrades/campaigns/:id`: a campaign's services and progress. */
export const campaignRouteRef = createSubRouteRef({
  parent: rootRouteRef,
  path: '/campaigns/:id',
});

import { createRouteRef } from '@backstage/frontend-plugin-api';

/** `/adoption`: the platform team's adoption dashboard. */
export const rootRouteRef = createRouteRef();

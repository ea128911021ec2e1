import { createRouteRef } from '@backstage/frontend-plugin-api';

/** `/scorecard`: the page; its index opens the first tab, the overview. */
export const rootRouteRef = createRouteRef();

/** `/scorecard/overview`: level distribution, trend and "Change a check". */
export const overviewRouteRef = createRouteRef();

/** `/scorecard/maturity`: the organization's maturity with the evidence per level. */
export const maturityRouteRef = createRouteRef();

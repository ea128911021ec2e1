import {
  ApiBlueprint,
  coreApis,
  createFrontendPlugin,
  PageBlueprint,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { RiBarChartBoxLine } from '@remixicon/react';
import { scorecardApiRef, ScorecardClient } from './api';
import { maturityRouteRef, overviewRouteRef, rootRouteRef } from './routes';

/** The scorecard backend's client, over the app's discovery and fetch. */
export const scorecardApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: scorecardApiRef,
      deps: { discoveryApi: coreApis.discovery, fetchApi: coreApis.fetch },
      factory: ({ discoveryApi, fetchApi }) =>
        new ScorecardClient({ discoveryApi, fetchApi }),
    }),
});

/** `/scorecard`, in the sidebar as "Scorecard"; its tabs are sub-pages. */
export const scorecardPage = PageBlueprint.make({
  params: {
    path: '/scorecard',
    routeRef: rootRouteRef,
    title: 'Scorecard',
    icon: <RiBarChartBoxLine />,
  },
});

export const overviewSubPage = SubPageBlueprint.make({
  name: 'overview',
  params: {
    path: 'overview',
    title: 'Overview',
    routeRef: overviewRouteRef,
    loader: () =>
      import('./components/OrganizationOverview').then(m => (
        <m.OrganizationOverview />
      )),
  },
});

export const maturitySubPage = SubPageBlueprint.make({
  name: 'maturity',
  params: {
    path: 'maturity',
    title: 'Organization maturity',
    routeRef: maturityRouteRef,
    loader: () =>
      import('./components/OrganizationMaturityPage').then(m => (
        <m.OrganizationMaturityPage />
      )),
  },
});

/** The "Scorecard" tab of components. */
export const entityScorecardContent = EntityContentBlueprint.make({
  name: 'component',
  params: {
    path: '/scorecard',
    title: 'Scorecard',
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntityScorecardContent').then(m => (
        <m.EntityScorecardContent />
      )),
  },
});

/** The "Scorecard" tab of groups: the team's levels and failing checks. */
export const teamScorecardContent = EntityContentBlueprint.make({
  name: 'group',
  params: {
    path: '/scorecard',
    title: 'Scorecard',
    filter: { kind: 'group' },
    loader: () =>
      import('./components/TeamScorecardContent').then(m => (
        <m.TeamScorecardContent />
      )),
  },
});

/** The "Maturity" card on components' overview. */
export const entityMaturityCard = EntityCardBlueprint.make({
  name: 'maturity',
  params: {
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntityMaturityCard').then(m => (
        <m.EntityMaturityCard />
      )),
  },
});

/**
 * The maturity scorecard: component and team scorecards, the organization's
 * level distribution, trend and maturity, and the impact preview of check changes.
 *
 * @public
 */
export const scorecardPlugin = createFrontendPlugin({
  pluginId: 'scorecard',
  title: 'Scorecard',
  icon: <RiBarChartBoxLine />,
  info: { packageJson: () => import('../package.json') },
  routes: {
    root: rootRouteRef,
    overview: overviewRouteRef,
    maturity: maturityRouteRef,
  },
  extensions: [
    scorecardApi,
    scorecardPage,
    overviewSubPage,
    maturitySubPage,
    entityScorecardContent,
    teamScorecardContent,
    entityMaturityCard,
  ],
});

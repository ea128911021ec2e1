import { Entity } from '@backstage/catalog-model';
import {
  ApiBlueprint,
  coreApis,
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { TEMPLATE_ANNOTATION } from '@paved/plugin-upgrades-common';
import { RiArrowUpCircleLine } from '@remixicon/react';
import { upgradesApiRef, UpgradesClient } from './api';
import { campaignRouteRef, changeRouteRef, rootRouteRef } from './routes';

/** The upgrades backend's client, over the app's discovery and fetch. */
export const upgradesApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: upgradesApiRef,
      deps: { discoveryApi: coreApis.discovery, fetchApi: coreApis.fetch },
      factory: ({ discoveryApi, fetchApi }) =>
        new UpgradesClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * `/upgrades`, in the sidebar: the campaigns; below it a campaign's page and a
 * change request's page.
 */
export const upgradesPage = PageBlueprint.make({
  params: {
    path: '/upgrades',
    routeRef: rootRouteRef,
    title: 'Upgrades',
    icon: <RiArrowUpCircleLine />,
    loader: () =>
      import('./components/UpgradesPage').then(m => <m.UpgradesPage />),
  },
});

/** Components made from a golden path: the ones with a template to upgrade. */
export const isFromGoldenPath = (entity: Entity) =>
  entity.kind.toLocaleLowerCase('en-US') === 'component' &&
  !!entity.metadata.annotations?.[TEMPLATE_ANNOTATION];

/** The "Golden path" card on the overview of components made from a template. */
export const goldenPathCard = EntityCardBlueprint.make({
  name: 'golden-path',
  params: {
    // A function: the annotation's dots would read as a path in a predicate.
    filter: isFromGoldenPath,
    loader: () =>
      import('./components/GoldenPathCard').then(m => <m.GoldenPathCard />),
  },
});

/**
 * Template upgrades: a component's golden-path card (newer version, changelog,
 * propose the upgrade as a change request), the change's diff with merge and
 * close, and campaigns that move every service of a template.
 *
 * @public
 */
export const upgradesPlugin = createFrontendPlugin({
  pluginId: 'upgrades',
  title: 'Upgrades',
  icon: <RiArrowUpCircleLine />,
  info: { packageJson: () => import('../package.json') },
  routes: {
    root: rootRouteRef,
    change: changeRouteRef,
    campaign: campaignRouteRef,
  },
  extensions: [upgradesApi, upgradesPage, goldenPathCard],
});

import {
  ApiBlueprint,
  coreApis,
  coreExtensionData,
  createExtension,
  createFrontendPlugin,
  ExtensionBoundary,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { RiRocketLine } from '@remixicon/react';
import { deploymentsApiRef, DeploymentsClient } from './api';
import { requestsRouteRef } from './routes';

/** The deployments API of the provisioning backend, over discovery and fetch. */
export const deploymentsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: deploymentsApiRef,
      deps: { discoveryApi: coreApis.discovery, fetchApi: coreApis.fetch },
      factory: ({ discoveryApi, fetchApi }) =>
        new DeploymentsClient({ discoveryApi, fetchApi }),
    }),
});

/** The "Deployments" tab of components. */
export const entityDeploymentsContent = EntityContentBlueprint.make({
  params: {
    path: '/deployments',
    title: 'Deployments',
    group: 'deployment',
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntityDeploymentsContent').then(m => (
        <m.EntityDeploymentsContent />
      )),
  },
});

/** The "Delivery (DORA)" card on a team's page. */
export const groupDoraCard = EntityCardBlueprint.make({
  name: 'dora',
  params: {
    filter: { kind: 'group' },
    type: 'content',
    loader: () =>
      import('./components/GroupDoraCard').then(m => <m.GroupDoraCard />),
  },
});

/**
 * The organisation's delivery figures as a section of the adoption dashboard
 * (`page:adoption`'s `sections` input). Without the adoption plugin it has no
 * parent and is left out.
 */
export const adoptionDoraSection = createExtension({
  kind: 'adoption-section',
  name: 'dora',
  attachTo: { id: 'page:adoption', input: 'sections' },
  output: [coreExtensionData.reactElement],
  factory: ({ node }) => [
    coreExtensionData.reactElement(
      ExtensionBoundary.lazy(node, () =>
        import('./components/OrganisationDoraSection').then(m => (
          <m.OrganisationDoraSection />
        )),
      ),
    ),
  ],
});

/**
 * Deployments: what runs where on a component's Deployments tab (deploy, roll
 * back, promote, history) and the delivery (DORA) figures of components, teams
 * and the organisation.
 *
 * @public
 */
export const deploymentsPlugin = createFrontendPlugin({
  pluginId: 'deployments',
  title: 'Deployments',
  icon: <RiRocketLine />,
  info: { packageJson: () => import('../package.json') },
  externalRoutes: { requests: requestsRouteRef },
  extensions: [
    deploymentsApi,
    entityDeploymentsContent,
    groupDoraCard,
    adoptionDoraSection,
  ],
});

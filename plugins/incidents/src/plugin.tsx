import {
  ApiBlueprint,
  coreApis,
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { RiAlarmWarningLine } from '@remixicon/react';
import { incidentsApiRef, IncidentsClient } from './api';
import { incidentRouteRef, rootRouteRef } from './routes';

/** The incidents backend's client, over the app's discovery and fetch. */
export const incidentsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: incidentsApiRef,
      deps: { discoveryApi: coreApis.discovery, fetchApi: coreApis.fetch },
      factory: ({ discoveryApi, fetchApi }) =>
        new IncidentsClient({ discoveryApi, fetchApi }),
    }),
});

/** `/incidents`, in the sidebar: open incidents across the organisation. */
export const incidentsPage = PageBlueprint.make({
  params: {
    path: '/incidents',
    routeRef: rootRouteRef,
    title: 'Incidents',
    icon: <RiAlarmWarningLine />,
    loader: () =>
      import('./components/IncidentsPage').then(m => <m.IncidentsPage />),
  },
});

/** The "Incidents" tab of components. */
export const entityIncidentsContent = EntityContentBlueprint.make({
  params: {
    path: '/incidents',
    title: 'Incidents',
    group: 'operation',
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntityIncidentsContent').then(m => (
        <m.EntityIncidentsContent />
      )),
  },
});

/**
 * Incidents: open one on a component, follow its timeline (with the runbooks run
 * meanwhile), add notes, change its status and resolve it with its cause.
 *
 * @public
 */
export const incidentsPlugin = createFrontendPlugin({
  pluginId: 'incidents',
  title: 'Incidents',
  icon: <RiAlarmWarningLine />,
  info: { packageJson: () => import('../package.json') },
  routes: {
    root: rootRouteRef,
    incident: incidentRouteRef,
  },
  extensions: [incidentsApi, incidentsPage, entityIncidentsContent],
});

import {
  ApiBlueprint,
  coreApis,
  createFrontendPlugin,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { RiPlayCircleLine } from '@remixicon/react';
import { runbooksApiRef, RunbooksClient } from './api';
import { incidentRouteRef } from './routes';

/** The runbooks backend's client, over the app's discovery and fetch. */
export const runbooksApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: runbooksApiRef,
      deps: { discoveryApi: coreApis.discovery, fetchApi: coreApis.fetch },
      factory: ({ discoveryApi, fetchApi }) =>
        new RunbooksClient({ discoveryApi, fetchApi }),
    }),
});

/** The "Runbooks" tab of components. */
export const entityRunbooksContent = EntityContentBlueprint.make({
  params: {
    path: '/runbooks',
    title: 'Runbooks',
    group: 'operation',
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntityRunbooksContent').then(m => (
        <m.EntityRunbooksContent />
      )),
  },
});

/**
 * Runbooks on a component's page: the ones that apply, a Run button that opens
 * the scaffolder form prefilled with the component, and their past runs.
 *
 * @public
 */
export const runbooksPlugin = createFrontendPlugin({
  pluginId: 'runbooks',
  title: 'Runbooks',
  icon: <RiPlayCircleLine />,
  info: { packageJson: () => import('../package.json') },
  externalRoutes: { incident: incidentRouteRef },
  extensions: [runbooksApi, entityRunbooksContent],
});

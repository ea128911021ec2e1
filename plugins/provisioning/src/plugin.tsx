import {
  ApiBlueprint,
  coreApis,
  createFrontendPlugin,
  PageBlueprint,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import { RiStackLine } from '@remixicon/react';
import { provisioningApiRef, ProvisioningClient } from './api';
import {
  approvalsRouteRef,
  newRequestRouteRef,
  requestsRouteRef,
  rootRouteRef,
} from './routes';

/** The provisioning backend's client, over the app's discovery and fetch. */
export const provisioningApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: provisioningApiRef,
      deps: { discoveryApi: coreApis.discovery, fetchApi: coreApis.fetch },
      factory: ({ discoveryApi, fetchApi }) =>
        new ProvisioningClient({ discoveryApi, fetchApi }),
    }),
});

/** `/self-service`, in the sidebar as "Self-service"; its tabs are sub-pages. */
export const selfServicePage = PageBlueprint.make({
  params: {
    path: '/self-service',
    routeRef: rootRouteRef,
    title: 'Self-service',
    icon: <RiStackLine />,
  },
});

/**
 * A self-service tab under the notice that says, while `./paved start` still builds
 * the local cluster, that the types needing it are not there yet.
 */
const withLocalClusterNotice = (tab: Promise<JSX.Element>) =>
  Promise.all([tab, import('./components/LocalClusterNotice')]).then(
    ([element, { LocalClusterNotice }]) => (
      <>
        <LocalClusterNotice container />
        {element}
      </>
    ),
  );

export const requestSubPage = SubPageBlueprint.make({
  name: 'request',
  params: {
    path: 'request',
    title: 'Request',
    routeRef: newRequestRouteRef,
    loader: () =>
      withLocalClusterNotice(
        import('./components/RequestTab/RequestTab').then(m => (
          <m.RequestTab />
        )),
      ),
  },
});

export const myResourcesSubPage = SubPageBlueprint.make({
  name: 'requests',
  params: {
    path: 'requests',
    title: 'My resources',
    routeRef: requestsRouteRef,
    loader: () =>
      withLocalClusterNotice(
        import('./components/MyResourcesTab/MyResourcesTab').then(m => (
          <m.MyResourcesTab />
        )),
      ),
  },
});

export const approvalsSubPage = SubPageBlueprint.make({
  name: 'approvals',
  params: {
    path: 'approvals',
    title: 'Approvals',
    routeRef: approvalsRouteRef,
    loader: () =>
      withLocalClusterNotice(
        import('./components/ApprovalsTab/ApprovalsTab').then(m => (
          <m.ApprovalsTab />
        )),
      ),
  },
});

/**
 * Self-service provisioning: request resources of the types the backend registers,
 * follow their progress, run day-2 actions, delete them, and decide on approvals.
 *
 * @public
 */
export const provisioningPlugin = createFrontendPlugin({
  pluginId: 'provisioning',
  title: 'Self-service',
  icon: <RiStackLine />,
  info: { packageJson: () => import('../package.json') },
  routes: {
    root: rootRouteRef,
    request: newRequestRouteRef,
    requests: requestsRouteRef,
    approvals: approvalsRouteRef,
  },
  extensions: [
    provisioningApi,
    selfServicePage,
    requestSubPage,
    myResourcesSubPage,
    approvalsSubPage,
  ],
});

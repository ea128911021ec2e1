import {
  ApiBlueprint,
  AppRootElementBlueprint,
  coreApis,
  coreExtensionData,
  createExtensionInput,
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { AnalyticsImplementationBlueprint } from '@backstage/plugin-app-react';
import { RiBarChartBoxLine } from '@remixicon/react';
import { lazy, Suspense } from 'react';
import { AdoptionAnalytics } from './analytics/AdoptionAnalytics';
import { adoptionApiRef, AdoptionClient } from './api';
import { rootRouteRef } from './routes';

/** The adoption backend's client, over the app's discovery and fetch. */
export const adoptionApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: adoptionApiRef,
      deps: { discoveryApi: coreApis.discovery, fetchApi: coreApis.fetch },
      factory: ({ discoveryApi, fetchApi }) =>
        new AdoptionClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The portal's analytics events, batched to the adoption backend. The app's
 * analytics API (`api:app/analytics`) forwards every event to each analytics
 * implementation, so this adds to, and does not replace, others (e.g. GA4).
 */
export const adoptionAnalytics = AnalyticsImplementationBlueprint.make({
  params: define =>
    define({
      deps: {
        config: coreApis.config,
        discoveryApi: coreApis.discovery,
        fetchApi: coreApis.fetch,
      },
      factory: ({ config, discoveryApi, fetchApi }) =>
        AdoptionAnalytics.fromConfig(config, { discoveryApi, fetchApi }),
    }),
});

/**
 * `/adoption`, in the sidebar as "Adoption" (the figures are for the platform team).
 * Other plugins add sections below the adoption figures through its `sections`
 * input (e.g. the deployments plugin's delivery figures).
 */
export const adoptionPage = PageBlueprint.makeWithOverrides({
  inputs: {
    sections: createExtensionInput([coreExtensionData.reactElement]),
  },
  factory(originalFactory, { inputs }) {
    const sections = inputs.sections.map(section =>
      section.get(coreExtensionData.reactElement),
    );
    return originalFactory({
      path: '/adoption',
      routeRef: rootRouteRef,
      title: 'Adoption',
      icon: <RiBarChartBoxLine />,
      loader: () =>
        import('./components/DashboardPage').then(m => (
          <m.DashboardPage sections={sections} />
        )),
    });
  },
});

const SurveyPrompt = lazy(() =>
  import('./components/SurveyPrompt').then(m => ({ default: m.SurveyPrompt })),
);

/** The NPS survey, at the bottom of every page when it is the person's turn. */
export const surveyPrompt = AppRootElementBlueprint.make({
  name: 'survey',
  params: {
    element: (
      <Suspense fallback={null}>
        <SurveyPrompt />
      </Suspense>
    ),
  },
});

/**
 * Adoption: records the portal's analytics events, charts usage, golden paths,
 * docs and NPS for the platform team, and asks developers what they think.
 *
 * @public
 */
export const adoptionPlugin = createFrontendPlugin({
  pluginId: 'adoption',
  title: 'Adoption',
  icon: <RiBarChartBoxLine />,
  info: { packageJson: () => import('../package.json') },
  routes: { root: rootRouteRef },
  extensions: [adoptionApi, adoptionAnalytics, adoptionPage, surveyPrompt],
});

import { createExtensionTester } from '@backstage/frontend-test-utils';
import { AnalyticsImplementationBlueprint } from '@backstage/plugin-app-react';
import { AdoptionAnalytics } from './analytics/AdoptionAnalytics';
import { adoptionAnalytics, adoptionPlugin } from './plugin';

describe('the adoption analytics implementation', () => {
  it('is part of the plugin and attaches to the app analytics API', () => {
    expect(adoptionPlugin.getExtension('analytics:adoption')).toBeDefined();
    const { deps, factory } = createExtensionTester(adoptionAnalytics).get(
      AnalyticsImplementationBlueprint.dataRefs.factory,
    );
    expect(Object.values(deps).map(ref => (ref as { id: string }).id)).toEqual([
      'core.config',
      'core.discovery',
      'core.fetch',
    ]);

    const fetchApi = { fetch: jest.fn() };
    const config = {
      getOptionalBoolean: () => false,
      getOptionalNumber: () => undefined,
    };
    const implementation = (factory as Function)({
      config,
      discoveryApi: { getBaseUrl: async () => 'http://backend/api/adoption' },
      fetchApi,
    });
    expect(implementation).toBeInstanceOf(AdoptionAnalytics);
    implementation.captureEvent({
      action: 'navigate',
      subject: '/',
      context: { pluginId: 'app', extensionId: 'app' },
    });
    return implementation.flush().then(() => {
      expect(fetchApi.fetch).not.toHaveBeenCalled();
    });
  });
});

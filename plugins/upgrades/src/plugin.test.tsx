import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  goldenPathCard,
  isFromGoldenPath,
  upgradesPage,
  upgradesPlugin,
} from './plugin';
import { ordersApi, typescriptService } from './__testUtils__/fakeUpgradesApi';

describe('the upgrades plugin', () => {
  it('offers the API, the page and the golden-path card', () => {
    // Ids the app config can name (to disable or move them).
    for (const id of [
      'api:upgrades',
      'page:upgrades',
      'entity-card:upgrades/golden-path',
    ] as const) {
      expect(upgradesPlugin.getExtension(id)).toMatchObject({
        namespace: 'upgrades',
      });
    }
    expect(
      createExtensionTester(upgradesPage).get(coreExtensionData.routePath),
    ).toBe('/upgrades');
    expect(
      createExtensionTester(goldenPathCard).get(coreExtensionData.reactElement),
    ).toBeDefined();
  });

  it('shows the card only on components made from a golden path', () => {
    expect(isFromGoldenPath(ordersApi)).toBe(true);
    expect(isFromGoldenPath(typescriptService)).toBe(false);
    expect(
      isFromGoldenPath({
        ...ordersApi,
        metadata: { name: 'handmade', annotations: {} },
      }),
    ).toBe(false);
  });
});

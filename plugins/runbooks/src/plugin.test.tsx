import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { entityRunbooksContent } from './plugin';

describe('the runbooks plugin', () => {
  it('offers a Runbooks tab on components', () => {
    const tester = createExtensionTester(entityRunbooksContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Runbooks');
    const applies = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    const entity = (kind: string) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: { name: 'x' },
    });
    expect(applies!(entity('Component'))).toBe(true);
    expect(applies!(entity('API'))).toBe(false);
  });
});

import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { RelativeSourceLocationProcessor } from './RelativeSourceLocationProcessor';

/** Resolves `file:./` source locations against the entity's own file. */
export const catalogModuleRelativeSourceLocations = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'relative-source-locations',
  register(reg) {
    reg.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addProcessor(new RelativeSourceLocationProcessor());
      },
    });
  },
});

import {
  coreExtensionData,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import kubernetesPlugin from '@backstage/plugin-kubernetes/alpha';
import { LocalClusterNotice } from '@paved/plugin-provisioning';

/**
 * The stock Kubernetes tab of an entity, under the notice that says while
 * `./paved start` still builds the local cluster (the tab's resources appear once
 * it runs). The plugin's own page is kept as it is, not forked.
 */
export const kubernetesEntityContent = kubernetesPlugin
  .getExtension('entity-content:kubernetes/kubernetes')
  .override({
    *factory(originalFactory) {
      for (const output of originalFactory()) {
        if (output.id === coreExtensionData.reactElement.id) {
          yield coreExtensionData.reactElement(
            <>
              <LocalClusterNotice />
              {output.value}
            </>,
          );
        } else {
          yield output;
        }
      }
    },
  });

export const kubernetesContentModule = createFrontendModule({
  pluginId: 'kubernetes',
  extensions: [kubernetesEntityContent],
});

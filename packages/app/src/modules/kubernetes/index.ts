import {
  createFrontendModule,
  createTranslationMessages,
} from '@backstage/frontend-plugin-api';
import { TranslationBlueprint } from '@backstage/plugin-app-react';
import { kubernetesTranslationRef } from '@backstage/plugin-kubernetes/alpha';

/**
 * The stock Kubernetes tab says only "No resources on any known clusters" when no
 * cluster is connected at all. Paved's wording says how to connect one, through the
 * plugin's own translation messages rather than a fork of its page.
 */
const kubernetesMessages = TranslationBlueprint.make({
  name: 'paved-kubernetes-messages',
  params: {
    resource: createTranslationMessages({
      ref: kubernetesTranslationRef,
      full: false,
      messages: {
        'kubernetesContentPage.emptyState.title':
          'No Kubernetes resources found',
        'kubernetesContentPage.emptyState.description':
          'Nothing labelled for {{entityName}} on any connected cluster. No cluster ' +
          'connected yet? Locally, ./paved start starts one (it needs Go); to connect ' +
          'real clusters, see Docs › Paved › Kubernetes ' +
          '(/docs/default/component/paved-portal/kubernetes).',
      },
    }),
  },
});

export const kubernetesModule = createFrontendModule({
  pluginId: 'app',
  extensions: [kubernetesMessages],
});

export { kubernetesContentModule } from './entityContent';

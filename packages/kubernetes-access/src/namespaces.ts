import {
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  V1Namespace,
} from '@kubernetes/client-node';
import { statusOf } from './kubernetesErrors';

/**
 * The label that marks objects Paved made.
 *
 * @public
 */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';

/**
 * Creates the namespace, labelled as Paved's, unless it exists; one that exists is
 * used as it is (a team's namespace may be made by hand, with labels of its own).
 * Needs only `get` and `create` (server-side apply) on namespaces.
 *
 * @param fieldManager - who applies it, e.g. `paved-provisioning`
 * @public
 */
export async function ensureNamespace(
  kubeConfig: KubeConfig,
  name: string,
  fieldManager: string,
): Promise<void> {
  try {
    await kubeConfig.makeApiClient(CoreV1Api).readNamespace({ name });
    return;
  } catch (error) {
    if (statusOf(error).code !== 404) {
      throw new Error(
        `Could not read namespace '${name}': ${statusOf(error).message}`,
      );
    }
  }
  const namespace: V1Namespace = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { [MANAGED_BY_LABEL]: 'paved' } },
  };
  try {
    await KubernetesObjectApi.makeApiClient(kubeConfig).patch(
      namespace,
      undefined,
      undefined,
      fieldManager,
      false,
      PatchStrategy.ServerSideApply,
    );
  } catch (error) {
    throw new Error(
      `Could not apply namespace '${name}': ${statusOf(error).message}`,
    );
  }
}

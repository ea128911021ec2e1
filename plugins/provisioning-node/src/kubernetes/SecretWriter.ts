import {
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  V1Secret,
} from '@kubernetes/client-node';
import { ensureNamespace, statusOf } from '@paved/kubernetes-access';
import { FIELD_MANAGER } from '../fieldManager';
import { NonRetryableError } from '../NonRetryableError';

/**
 * Writes the Secrets of provisioned resources with the least the portal's identity
 * may do: create, patch and delete Secrets, get and create namespaces. It never reads
 * a Secret: server-side apply creates or updates it in one call, and a delete names
 * the exact object (its uid) that an apply made.
 *
 * @public
 */
export class SecretWriter {
  private readonly core: CoreV1Api;
  private readonly objects: KubernetesObjectApi;

  constructor(private readonly kubeConfig: KubeConfig) {
    this.core = kubeConfig.makeApiClient(CoreV1Api);
    this.objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  }

  /** Creates the namespace (labelled as Paved's) unless it exists. */
  async ensureNamespace(name: string): Promise<void> {
    await ensureNamespace(this.kubeConfig, name, FIELD_MANAGER);
  }

  /**
   * Server-side applies a Secret and returns its uid. Not forced: a Secret of the same
   * name whose keys someone else manages is a conflict (a NonRetryableError), never
   * taken over. Errors never carry the Secret's data.
   */
  async applySecret(secret: V1Secret): Promise<string> {
    const { name, namespace } = secret.metadata ?? {};
    const applied = await this.apply(secret, `Secret '${namespace}/${name}'`);
    return applied.metadata?.uid ?? '';
  }

  /**
   * Deletes the Secret an apply made (by uid); a Secret that is gone, or that is
   * another object by now, is left alone. Returns what happened.
   */
  async deleteSecret(options: {
    name: string;
    namespace: string;
    uid?: string;
  }): Promise<'deleted' | 'absent' | 'replaced'> {
    const { name, namespace, uid } = options;
    try {
      await this.core.deleteNamespacedSecret({
        name,
        namespace,
        body: uid ? { preconditions: { uid } } : undefined,
      });
      return 'deleted';
    } catch (error) {
      const status = statusOf(error);
      if (status.code === 404) {
        return 'absent';
      }
      if (status.code === 409) {
        return 'replaced';
      }
      throw new Error(
        `Could not delete Secret '${namespace}/${name}': ${status.message}`,
      );
    }
  }

  private async apply<T extends V1Secret>(object: T, what: string): Promise<T> {
    try {
      return await this.objects.patch(
        object,
        undefined,
        undefined,
        FIELD_MANAGER,
        false,
        PatchStrategy.ServerSideApply,
      );
    } catch (error) {
      const status = statusOf(error);
      if (status.code === 409) {
        throw new NonRetryableError(
          `Could not apply ${what}: it exists and other managers own its fields (${status.message}); remove it or choose another name`,
        );
      }
      throw new Error(`Could not apply ${what}: ${status.message}`);
    }
  }
}

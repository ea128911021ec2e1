import {
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { isMissingKind, statusOf } from '@paved/kubernetes-access';
import { FIELD_MANAGER } from '../fieldManager';

/**
 * Applies and deletes the PrometheusRules (prometheus-operator) with a resource's
 * alerts. A cluster without the prometheus-operator CRD gets none ('no-crd', and the
 * step says so): alerts are wanted, but not worth failing a resource for.
 *
 * @public
 */
export class PrometheusRuleWriter {
  private readonly objects: KubernetesObjectApi;

  constructor(kubeConfig: KubeConfig) {
    this.objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  }

  async apply(rule: KubernetesObject): Promise<'applied' | 'no-crd'> {
    try {
      await this.objects.patch(
        rule,
        undefined,
        undefined,
        FIELD_MANAGER,
        true,
        PatchStrategy.ServerSideApply,
      );
      return 'applied';
    } catch (error) {
      if (isMissingKind(error)) {
        return 'no-crd';
      }
      throw new Error(
        `Could not apply PrometheusRule '${rule.metadata?.namespace}/${
          rule.metadata?.name
        }': ${statusOf(error).message}`,
      );
    }
  }

  async delete(
    rule: KubernetesObject,
  ): Promise<'deleted' | 'absent' | 'no-crd'> {
    try {
      await this.objects.delete(rule);
      return 'deleted';
    } catch (error) {
      if (statusOf(error).code === 404 && !isMissingKind(error)) {
        return 'absent';
      }
      if (isMissingKind(error)) {
        return 'no-crd';
      }
      throw new Error(
        `Could not delete PrometheusRule '${rule.metadata?.namespace}/${
          rule.metadata?.name
        }': ${statusOf(error).message}`,
      );
    }
  }
}

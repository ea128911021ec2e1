import { JsonObject } from '@backstage/types';
import { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { KindObjects } from '@paved/kubernetes-access';
import { FIELD_MANAGER } from '@paved/plugin-provisioning-node';
import { Condition } from './xrd';

/**
 * A composite resource of one kind, as Paved applies and reads it.
 *
 * @public
 */
export interface CompositeResource extends KubernetesObject {
  spec?: JsonObject;
  status?: JsonObject & { conditions?: Condition[] };
}

/**
 * Applies, reads and deletes the composite resources of one XRD (Crossplane's
 * finalizer keeps a deleted one until its composed resources are gone), and creates
 * the team namespaces they live in. A kind the API server does not serve (its XRD is
 * gone) fails with a `MissingKindError`, a composite resource it refuses (a CEL rule
 * of the XRD) with an `InvalidObjectError`.
 */
export class CompositeResources extends KindObjects<CompositeResource> {
  constructor(
    kubeConfig: KubeConfig,
    kind: { apiVersion: string; kind: string },
  ) {
    super(kubeConfig, {
      apiVersion: kind.apiVersion,
      kind: kind.kind,
      fieldManager: FIELD_MANAGER,
      missingKindHint: 'is its XRD gone?',
    });
  }
}

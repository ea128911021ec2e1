import { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { KindObjects } from '@paved/kubernetes-access';
import { FIELD_MANAGER } from '@paved/plugin-provisioning-node';

/** The API of CloudNativePG's `Cluster` kind. */
const CNPG_API_VERSION = 'postgresql.cnpg.io/v1';

/** The parts of a CloudNativePG `Cluster` that Paved writes and reads. */
export interface CnpgCluster extends KubernetesObject {
  spec?: {
    instances?: number;
    imageName?: string;
    storage?: { size?: string; storageClass?: string };
    bootstrap?: { initdb?: { database?: string; owner?: string } };
  };
  status?: {
    phase?: string;
    instances?: number;
    readyInstances?: number;
    currentPrimary?: string;
  };
}

/**
 * Applies, reads and deletes CloudNativePG `Cluster` objects, and creates the team
 * namespaces they live in. A cluster without CloudNativePG fails its calls with a
 * `MissingKindError`.
 */
export class CnpgClusters extends KindObjects<CnpgCluster> {
  constructor(kubeConfig: KubeConfig, apiVersion: string = CNPG_API_VERSION) {
    super(kubeConfig, {
      apiVersion,
      kind: 'Cluster',
      fieldManager: FIELD_MANAGER,
    });
  }
}

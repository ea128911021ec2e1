import {
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import {
  ensureNamespace,
  isMissingKind,
  statusOf,
} from '@paved/kubernetes-access';
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

/** Thrown when the cluster does not serve CloudNativePG's `Cluster` kind. */
export class MissingCrdError extends Error {
  name = 'MissingCrdError';
}

/**
 * Applies, reads and deletes CloudNativePG `Cluster` objects, and creates the team
 * namespaces they live in.
 */
export class CnpgClusters {
  private readonly objects: KubernetesObjectApi;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly apiVersion: string = CNPG_API_VERSION,
  ) {
    this.objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  }

  /** A reference to the Cluster `<namespace>/<name>`. */
  ref(namespace: string, name: string): CnpgCluster {
    return {
      apiVersion: this.apiVersion,
      kind: 'Cluster',
      metadata: { name, namespace },
    };
  }

  /** Creates the namespace (labelled as Paved's) unless it exists. */
  async ensureNamespace(name: string): Promise<void> {
    await ensureNamespace(this.kubeConfig, name, FIELD_MANAGER);
  }

  /**
   * Server-side applies the fields of a Cluster that Paved owns. Forced: the Cluster
   * is Paved's, and its spec is what the request says.
   */
  async apply(cluster: CnpgCluster): Promise<CnpgCluster> {
    try {
      return await this.objects.patch(
        { ...cluster, apiVersion: this.apiVersion, kind: 'Cluster' },
        undefined,
        undefined,
        FIELD_MANAGER,
        true,
        PatchStrategy.ServerSideApply,
      );
    } catch (error) {
      throw this.failure('apply', cluster, error);
    }
  }

  /** The Cluster, or undefined when there is none. */
  async read(
    namespace: string,
    name: string,
  ): Promise<CnpgCluster | undefined> {
    const ref = this.ref(namespace, name);
    try {
      return await this.objects.read(
        ref as KubernetesObject & {
          metadata: { name: string; namespace: string };
        },
      );
    } catch (error) {
      if (statusOf(error).code === 404 && !isMissingKind(error)) {
        return undefined;
      }
      throw this.failure('read', ref, error);
    }
  }

  /** Deletes the Cluster; returns whether there was one. */
  async delete(namespace: string, name: string): Promise<boolean> {
    const ref = this.ref(namespace, name);
    try {
      await this.objects.delete(ref);
      return true;
    } catch (error) {
      if (statusOf(error).code === 404 && !isMissingKind(error)) {
        return false;
      }
      throw this.failure('delete', ref, error);
    }
  }

  private failure(verb: string, cluster: KubernetesObject, error: unknown) {
    const what = `Cluster '${cluster.metadata?.namespace}/${cluster.metadata?.name}'`;
    if (isMissingKind(error)) {
      return new MissingCrdError(
        `Could not ${verb} ${what}: the Kubernetes API does not serve ${
          this.apiVersion
        } Cluster (${statusOf(error).message})`,
      );
    }
    return new Error(`Could not ${verb} ${what}: ${statusOf(error).message}`);
  }
}

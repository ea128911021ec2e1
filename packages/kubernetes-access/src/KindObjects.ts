import {
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { isMissingKind, statusOf } from './kubernetesErrors';
import { ensureNamespace } from './namespaces';

/**
 * Thrown by {@link KindObjects} when the API server does not serve the kind (its CRD
 * is not installed, or is gone).
 *
 * @public
 */
export class MissingKindError extends Error {
  name = 'MissingKindError';
}

/**
 * Thrown by {@link KindObjects} when the API server refuses an object as invalid
 * (HTTP 422), e.g. against a validation rule of its CRD.
 *
 * @public
 */
export class InvalidObjectError extends Error {
  name = 'InvalidObjectError';
}

/**
 * Applies, reads and deletes the namespaced objects of one kind (usually a custom
 * resource: a CloudNativePG Cluster, a Crossplane composite resource) that a plugin
 * owns, and creates the namespaces they live in.
 *
 * @public
 */
export class KindObjects<T extends KubernetesObject> {
  private readonly objects: KubernetesObjectApi;

  private readonly kind: { apiVersion: string; kind: string };

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly options: {
      apiVersion: string;
      kind: string;
      /** Who applies the objects and namespaces, e.g. `paved-provisioning`. */
      fieldManager: string;
      /** Said when the kind is not served, e.g. `is its XRD gone?`. */
      missingKindHint?: string;
    },
  ) {
    this.objects = KubernetesObjectApi.makeApiClient(kubeConfig);
    this.kind = { apiVersion: options.apiVersion, kind: options.kind };
  }

  /** The object `<namespace>/<name>` as a reference. */
  ref(namespace: string, name: string): T {
    return { ...this.kind, metadata: { name, namespace } } as T;
  }

  /** Creates the namespace (labelled as Paved's) unless it exists. */
  async ensureNamespace(name: string): Promise<void> {
    await ensureNamespace(this.kubeConfig, name, this.options.fieldManager);
  }

  /**
   * Server-side applies the fields the plugin owns. Forced: the object is the
   * plugin's, and its spec is what the plugin says.
   */
  async apply(object: T): Promise<T> {
    try {
      return await this.objects.patch(
        { ...object, ...this.kind },
        undefined,
        undefined,
        this.options.fieldManager,
        true,
        PatchStrategy.ServerSideApply,
      );
    } catch (error) {
      throw this.failure('apply', object, error);
    }
  }

  /** The object, or undefined when there is none. */
  async read(namespace: string, name: string): Promise<T | undefined> {
    const ref = this.ref(namespace, name);
    try {
      return (await this.objects.read(
        ref as T & { metadata: { name: string; namespace: string } },
      )) as T;
    } catch (error) {
      if (statusOf(error).code === 404 && !isMissingKind(error)) {
        return undefined;
      }
      throw this.failure('read', ref, error);
    }
  }

  /**
   * Asks the API server to delete the object (its finalizers may keep it a while);
   * returns whether there was one.
   */
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

  /** `<Kind> '<namespace>/<name>'`, for messages. */
  describe(namespace: string, name: string): string {
    return `${this.kind.kind} '${namespace}/${name}'`;
  }

  private failure(verb: string, object: KubernetesObject, error: unknown) {
    const what = this.describe(
      object.metadata?.namespace ?? '',
      object.metadata?.name ?? '',
    );
    const { code, message } = statusOf(error);
    if (isMissingKind(error)) {
      const { missingKindHint: hint } = this.options;
      return new MissingKindError(
        `Could not ${verb} ${what}: the Kubernetes API does not serve ${
          this.kind.apiVersion
        } ${this.kind.kind}${hint ? ` (${hint})` : ''}: ${message}`,
      );
    }
    if (code === 422) {
      return new InvalidObjectError(
        `The Kubernetes API refused ${what}: ${message}`,
      );
    }
    return new Error(`Could not ${verb} ${what}: ${message}`);
  }
}

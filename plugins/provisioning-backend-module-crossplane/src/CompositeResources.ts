import { JsonObject } from '@backstage/types';
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

/** Thrown when the API server does not serve the kind (its XRD is gone). */
export class MissingKindError extends Error {
  name = 'MissingKindError';
}

/** Thrown when the API server refuses the object as invalid (HTTP 422), e.g. a CEL rule of the XRD. */
export class InvalidResourceError extends Error {
  name = 'InvalidResourceError';
}

/**
 * Applies, reads and deletes the composite resources of one XRD, and creates the
 * team namespaces they live in.
 */
export class CompositeResources {
  private readonly objects: KubernetesObjectApi;

  private readonly kind: { apiVersion: string; kind: string };

  constructor(
    private readonly kubeConfig: KubeConfig,
    kind: { apiVersion: string; kind: string },
  ) {
    this.objects = KubernetesObjectApi.makeApiClient(kubeConfig);
    this.kind = { apiVersion: kind.apiVersion, kind: kind.kind };
  }

  /** The composite resource `<namespace>/<name>` as a reference. */
  ref(namespace: string, name: string) {
    return { ...this.kind, metadata: { name, namespace } };
  }

  /** Creates the namespace (labelled as Paved's) unless it exists. */
  async ensureNamespace(name: string): Promise<void> {
    await ensureNamespace(this.kubeConfig, name, FIELD_MANAGER);
  }

  /**
   * Server-side applies the fields Paved owns. Forced: the composite resource is
   * the request's, and its spec is what the request says.
   */
  async apply(resource: CompositeResource): Promise<CompositeResource> {
    try {
      return await this.objects.patch(
        { ...resource, ...this.kind },
        undefined,
        undefined,
        FIELD_MANAGER,
        true,
        PatchStrategy.ServerSideApply,
      );
    } catch (error) {
      throw this.failure('apply', resource, error);
    }
  }

  /** The composite resource, or undefined when there is none. */
  async read(
    namespace: string,
    name: string,
  ): Promise<CompositeResource | undefined> {
    const ref = this.ref(namespace, name);
    try {
      return await this.objects.read(ref);
    } catch (error) {
      if (statusOf(error).code === 404 && !isMissingKind(error)) {
        return undefined;
      }
      throw this.failure('read', ref, error);
    }
  }

  /**
   * Asks the API server to delete the composite resource (Crossplane's finalizer
   * keeps it until its composed resources are gone); returns whether there was one.
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

  private failure(verb: string, resource: KubernetesObject, error: unknown) {
    const what = this.describe(
      resource.metadata?.namespace ?? '',
      resource.metadata?.name ?? '',
    );
    const { code, message } = statusOf(error);
    if (isMissingKind(error)) {
      return new MissingKindError(
        `Could not ${verb} ${what}: the Kubernetes API does not serve ${this.kind.apiVersion} ${this.kind.kind} (is its XRD gone?): ${message}`,
      );
    }
    if (code === 422) {
      return new InvalidResourceError(
        `The Kubernetes API refused ${what}: ${message}`,
      );
    }
    return new Error(`Could not ${verb} ${what}: ${message}`);
  }
}

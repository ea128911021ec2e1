import {
  ApiException,
  HttpMethod,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  ResponseContext,
} from '@kubernetes/client-node';
import { FIELD_MANAGER } from '@paved/plugin-provisioning-node';
import { isMissingKind, statusOf } from '@paved/kubernetes-access';

/**
 * client-node's generic object API, but with objects as the API server writes them.
 *
 * The stock one passes every known kind through its generated models, which spell
 * some keys differently (`_from` for a NetworkPolicy peer list, `_default` for a
 * LimitRange's default limits) and drop keys they do not know: a plain
 * `{ from: [...] }` is sent as nothing, which turns a default-deny policy into
 * allow-all. Here requests and responses are plain JSON, so copies of objects keep
 * every field, including ones newer than the models.
 */
class PlainObjectApi extends KubernetesObjectApi {
  static create(kubeConfig: KubeConfig): PlainObjectApi {
    const api = kubeConfig.makeApiClient(PlainObjectApi);
    api.setDefaultNamespace(kubeConfig);
    return api;
  }

  /** A patch whose body is `patch` as it is (JSON), of the given strategy. */
  async patchPlain<T extends KubernetesObject>(
    patch: T,
    strategy: PatchStrategy,
    query: { dryRun?: boolean; force?: boolean },
  ): Promise<T> {
    const path = await this.specUriPath(patch, 'patch');
    const request = this.configuration.baseServer.makeRequestContext(
      path,
      HttpMethod.PATCH,
    );
    request.setHeaderParam('Accept', 'application/json');
    request.setHeaderParam('Content-Type', strategy);
    request.setQueryParam('fieldManager', FIELD_MANAGER);
    if (query.dryRun) {
      request.setQueryParam('dryRun', 'All');
    }
    if (query.force) {
      request.setQueryParam('force', 'true');
    }
    request.setBody(JSON.stringify(patch));
    return this.requestPromise<T>(request);
  }

  protected async processResponse<T extends KubernetesObject>(
    response: ResponseContext,
  ): Promise<T> {
    if (response.httpStatusCode >= 200 && response.httpStatusCode <= 299) {
      return JSON.parse(await response.body.text()) as T;
    }
    throw new ApiException(
      response.httpStatusCode,
      'Unsuccessful HTTP Request',
      await response.getBodyAsAny(),
      response.headers,
    );
  }
}

/** A page of a list call; large namespaces are read in pages of this many objects. */
export const PAGE_SIZE = 250;

/** `Kind 'namespace/name'`, for messages. */
export function describe(object: KubernetesObject): string {
  const { namespace, name } = object.metadata ?? {};
  return `${object.kind} '${namespace ? `${namespace}/` : ''}${name}'`;
}

type Ref = KubernetesObject & {
  metadata: { name: string; namespace?: string };
};

/**
 * The calls the environment type makes to the Kubernetes API, through client-node's
 * generic object API: server-side apply with Paved's field manager, reads that answer
 * undefined for a 404, paged lists.
 */
export class KubernetesObjects {
  private readonly api: PlainObjectApi;

  constructor(kubeConfig: KubeConfig) {
    this.api = PlainObjectApi.create(kubeConfig);
  }

  /**
   * Server-side applies `object` as Paved's field manager. Forced: what the
   * environment says wins over hand edits (that is what drift correction is for).
   */
  async apply<T extends KubernetesObject>(
    object: T,
    options: { dryRun?: boolean } = {},
  ): Promise<T> {
    try {
      return await this.api.patchPlain(object, PatchStrategy.ServerSideApply, {
        dryRun: options.dryRun,
        force: true,
      });
    } catch (error) {
      throw this.failure('apply', object, error);
    }
  }

  /** A strategic merge patch, e.g. one container's image. */
  async mergePatch<T extends KubernetesObject>(patch: T): Promise<T> {
    try {
      return await this.api.patchPlain(
        patch,
        PatchStrategy.StrategicMergePatch,
        {},
      );
    } catch (error) {
      throw this.failure('patch', patch, error);
    }
  }

  /** The object, or undefined when there is none. */
  async read<T extends KubernetesObject>(ref: Ref): Promise<T | undefined> {
    try {
      return await this.api.read<T>(ref);
    } catch (error) {
      if (statusOf(error).code === 404 && !isMissingKind(error)) {
        return undefined;
      }
      throw this.failure('read', ref, error);
    }
  }

  /**
   * Every object of a kind in a namespace, read in pages (`limit`/`continue`), with
   * `apiVersion` and `kind` set on each item (list items have neither).
   */
  async list<T extends KubernetesObject>(
    apiVersion: string,
    kind: string,
    namespace: string,
    signal?: AbortSignal,
  ): Promise<T[]> {
    const items: T[] = [];
    let continueToken: string | undefined;
    do {
      signal?.throwIfAborted();
      let page;
      try {
        page = await this.api.list<T>(
          apiVersion,
          kind,
          namespace,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          PAGE_SIZE,
          continueToken,
        );
      } catch (error) {
        throw new Error(
          `Could not list ${kind} objects in namespace '${namespace}': ${
            statusOf(error).message
          }`,
        );
      }
      for (const item of page.items) {
        items.push({ ...item, apiVersion, kind });
      }
      // Plain JSON: the token is `continue` (client-node's models say `_continue`).
      continueToken =
        (page.metadata as { continue?: string } | undefined)?.continue ||
        undefined;
    } while (continueToken);
    return items;
  }

  /**
   * Deletes the object (its dependents in the background); returns whether there
   * was one.
   */
  async delete(ref: Ref): Promise<boolean> {
    try {
      await this.api.delete(
        ref,
        undefined,
        undefined,
        undefined,
        undefined,
        'Background',
      );
      return true;
    } catch (error) {
      if (statusOf(error).code === 404 && !isMissingKind(error)) {
        return false;
      }
      throw this.failure('delete', ref, error);
    }
  }

  private failure(verb: string, object: KubernetesObject, error: unknown) {
    return new Error(
      `Could not ${verb} ${describe(object)}: ${statusOf(error).message}`,
    );
  }
}

/**
 * Runs `fn` on every item, at most `concurrency` at a time; rejects with the first
 * error after the running calls settle.
 */
export async function forEachLimited<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (next < items.length && failure === undefined) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, worker),
  );
  if (failure !== undefined) {
    throw failure;
  }
}

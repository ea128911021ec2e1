import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { statusOf } from '@paved/kubernetes-access';
import {
  CompositeResourceDefinition,
  XRD_GROUP,
  XRD_PLURAL,
  XRD_VERSION,
} from './xrd';

/** How long the backend's start waits for the API server to list XRDs. */
const LIST_TIMEOUT_MS = 30_000;

/** Lists the cluster's Crossplane v2 CompositeResourceDefinitions. */
export class XrdReader {
  private readonly custom: CustomObjectsApi;

  constructor(
    kubeConfig: KubeConfig,
    private readonly version: string = XRD_VERSION,
  ) {
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
  }

  /**
   * Every XRD, or undefined when the API server does not serve
   * `apiextensions.crossplane.io/<version>` XRDs (Crossplane v2 is not installed).
   */
  async list(): Promise<CompositeResourceDefinition[] | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `the Kubernetes API did not answer within ${
                LIST_TIMEOUT_MS / 1000
              } s`,
            ),
          ),
        LIST_TIMEOUT_MS,
      );
    });
    try {
      const list = (await Promise.race([
        this.custom.listClusterCustomObject({
          group: XRD_GROUP,
          version: this.version,
          plural: XRD_PLURAL,
        }),
        timeout,
      ])) as { items?: CompositeResourceDefinition[] };
      return list.items ?? [];
    } catch (error) {
      if (statusOf(error).code === 404) {
        return undefined;
      }
      throw new Error(
        `Could not list ${XRD_PLURAL}.${XRD_GROUP}/${this.version}: ${
          statusOf(error).message
        }`,
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

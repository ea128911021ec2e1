import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * Admin access to the portal's local control plane, for browser tests that check
 * what the portal did in the cluster. `./paved test` names the kubeconfig in
 * PAVED_E2E_KUBECONFIG; against a portal of `./paved start`, the default cluster's.
 */
export function portalClusterConfig(): KubeConfig {
  const file =
    process.env.PAVED_E2E_KUBECONFIG ??
    execFileSync(
      path.resolve(__dirname, '../../../scripts/cluster.sh'),
      ['kubeconfig'],
      { encoding: 'utf8' },
    ).trim();
  const config = new KubeConfig();
  config.loadFromFile(file);
  return config;
}

/** The HTTP status of a failed Kubernetes API call (404 for a missing object). */
export const statusOf = (error: unknown) =>
  (error as { code?: number; statusCode?: number }).code ??
  (error as { statusCode?: number }).statusCode;

/**
 * A Secret's data, decoded, as a workload that mounts it with `envFrom` sees it;
 * `undefined` when there is no such Secret.
 */
export async function readSecretData(
  core: CoreV1Api,
  name: string,
  namespace: string,
): Promise<Record<string, string> | undefined> {
  try {
    const secret = await core.readNamespacedSecret({ name, namespace });
    return Object.fromEntries(
      Object.entries(secret.data ?? {}).map(([key, value]) => [
        key,
        Buffer.from(value, 'base64').toString('utf8'),
      ]),
    );
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

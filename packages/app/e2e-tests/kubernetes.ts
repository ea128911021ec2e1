import { KubeConfig } from '@kubernetes/client-node';
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

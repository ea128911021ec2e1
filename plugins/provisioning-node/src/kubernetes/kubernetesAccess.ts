import { Config } from '@backstage/config';
import { KubeConfig } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';

/**
 * How a resource type's module reaches the Kubernetes API it writes to: a kubeconfig
 * file, a URL with a CA and a token, or the pod's own service account.
 *
 * @public
 */
export type KubernetesAccess =
  | { kind: 'kubeconfig'; path: string }
  | {
      kind: 'url';
      url: string;
      caFile?: string;
      caData?: string;
      token?: string;
      skipTLSVerify: boolean;
    }
  | { kind: 'in-cluster' };

/**
 * Reads a module's `kubernetes` config section (`kubeconfigPath`, or `url` with
 * `caFile`/`caData`, `serviceAccountToken` and `skipTLSVerify`); without one, the
 * backend must run in a pod. Errors name `key`, the section's full config key.
 *
 * @public
 */
export function readKubernetesAccess(
  config: Config | undefined,
  key: string,
): KubernetesAccess {
  const invalid = (at: string, problem: string) =>
    new Error(`Invalid config: ${at}: ${problem}`);
  if (!config) {
    if (process.env.KUBERNETES_SERVICE_HOST) {
      return { kind: 'in-cluster' };
    }
    throw invalid(
      key,
      'is required when the backend does not run in a Kubernetes pod; set kubeconfigPath, or url with caFile and serviceAccountToken',
    );
  }
  const path = config.getOptionalString('kubeconfigPath');
  const url = config.getOptionalString('url');
  if (path && url) {
    throw invalid(key, 'set either kubeconfigPath or url, not both');
  }
  if (path) {
    return { kind: 'kubeconfig', path };
  }
  if (!url) {
    throw invalid(key, 'needs kubeconfigPath or url');
  }
  if (!/^https?:\/\//.test(url)) {
    throw invalid(`${key}.url`, `'${url}' is not an http(s) URL`);
  }
  return {
    kind: 'url',
    url,
    caFile: config.getOptionalString('caFile'),
    caData: config.getOptionalString('caData'),
    token: config.getOptionalString('serviceAccountToken'),
    skipTLSVerify: config.getOptionalBoolean('skipTLSVerify') ?? false,
  };
}

/**
 * A KubeConfig for a {@link KubernetesAccess}.
 *
 * @public
 */
export function loadKubeConfig(access: KubernetesAccess): KubeConfig {
  const kc = new KubeConfig();
  if (access.kind === 'kubeconfig') {
    kc.loadFromFile(access.path);
  } else if (access.kind === 'in-cluster') {
    kc.loadFromCluster();
  } else {
    kc.loadFromOptions({
      clusters: [
        {
          name: 'provisioning',
          server: access.url,
          caFile: access.caFile,
          caData: access.caData,
          skipTLSVerify: access.skipTLSVerify,
        },
      ],
      users: [{ name: 'provisioning', token: access.token }],
      contexts: [
        { name: 'provisioning', cluster: 'provisioning', user: 'provisioning' },
      ],
      currentContext: 'provisioning',
    });
  }
  return kc;
}

/**
 * {@link loadKubeConfig}, after checking that the files the access names can be read,
 * so that a module refuses to start with an error naming the config key, e.g.
 * `Invalid config: provisioning.cnpg.kubernetes.caFile: cannot read '…'`.
 *
 * @param section - the config section the access was read from, e.g. `provisioning.cnpg`
 * @public
 */
export function loadCheckedKubeConfig(
  access: KubernetesAccess,
  section: string,
): KubeConfig {
  const check = (path: string, key: string) => {
    try {
      readFileSync(path, 'utf8');
    } catch (error) {
      throw new Error(
        `Invalid config: ${section}.${key}: cannot read '${path}': ${
          (error as Error).message
        }`,
      );
    }
  };
  if (access.kind === 'kubeconfig') {
    check(access.path, 'kubernetes.kubeconfigPath');
  }
  if (access.kind === 'url' && access.caFile) {
    check(access.caFile, 'kubernetes.caFile');
  }
  return loadKubeConfig(access);
}

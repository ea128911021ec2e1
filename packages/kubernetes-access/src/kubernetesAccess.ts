import { Config } from '@backstage/config';
import { KubeConfig } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';

/**
 * How a backend plugin or module reaches the Kubernetes API it reads or writes: a
 * kubeconfig file, a URL with a CA and a token, or the pod's own service account.
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
 * Reads a `kubernetes` config section (`kubeconfigPath`, or `url` with
 * `caFile`/`caData`, `serviceAccountToken` and `skipTLSVerify`); without one, the
 * backend must run in a pod. Errors name `key`, the section's full config key, e.g.
 * `provisioning.cnpg.kubernetes`.
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
 * Reads the `kubernetes` section of a plugin's or module's config section (see
 * {@link readKubernetesAccess}); errors name it in full, e.g.
 * `provisioning.s3.kubernetes.url`.
 *
 * @param config - the plugin's or module's section
 * @param key - that section's full config key, e.g. `provisioning.s3`
 * @public
 */
export function readKubernetesSection(
  config: Config,
  key: string,
): KubernetesAccess {
  return readKubernetesAccess(
    config.getOptionalConfig('kubernetes'),
    `${key}.kubernetes`,
  );
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
          name: 'paved',
          server: access.url,
          caFile: access.caFile,
          caData: access.caData,
          skipTLSVerify: access.skipTLSVerify,
        },
      ],
      users: [{ name: 'paved', token: access.token }],
      contexts: [{ name: 'paved', cluster: 'paved', user: 'paved' }],
      currentContext: 'paved',
    });
  }
  return kc;
}

/**
 * {@link loadKubeConfig}, after checking that the files the access names can be read,
 * so that a plugin refuses to start with an error naming the config key, e.g.
 * `Invalid config: provisioning.cnpg.kubernetes.caFile: cannot read '…'`.
 *
 * @param key - the config key the access was read from, e.g. `provisioning.cnpg.kubernetes`
 * @public
 */
export function loadCheckedKubeConfig(
  access: KubernetesAccess,
  key: string,
): KubeConfig {
  const check = (path: string, field: string) => {
    try {
      readFileSync(path, 'utf8');
    } catch (error) {
      throw new Error(
        `Invalid config: ${key}.${field}: cannot read '${path}': ${
          (error as Error).message
        }`,
      );
    }
  };
  if (access.kind === 'kubeconfig') {
    check(access.path, 'kubeconfigPath');
  }
  if (access.kind === 'url' && access.caFile) {
    check(access.caFile, 'caFile');
  }
  return loadKubeConfig(access);
}

/**
 * The checked KubeConfig of the `kubernetes` section at `key` (or of the pod's
 * service account without one): {@link readKubernetesAccess}, then
 * {@link loadCheckedKubeConfig}. Throws an error naming the key for anything wrong.
 *
 * @param key - the section's full config key, e.g. `scorecard.kubernetes`
 * @public
 */
export function readKubeConfig(config: Config, key: string): KubeConfig {
  return loadCheckedKubeConfig(
    readKubernetesAccess(config.getOptionalConfig(key), key),
    key,
  );
}

import { Config } from '@backstage/config';

const ROOT = 'provisioning.cnpg';

/** The most instances (a primary and its replicas) one Cluster may have. */
export const INSTANCES = { min: 1, max: 5 };

/** How the backend reaches the Kubernetes API that runs CloudNativePG. @public */
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

/** `provisioning.cnpg`, validated and with defaults. @public */
export interface CnpgModuleConfig {
  kubernetes: KubernetesAccess;
  /** The PostgreSQL image of every Cluster; CloudNativePG's default if absent. */
  imageName?: string;
  /** The storage class of every Cluster's volumes; the cluster's default if absent. */
  storageClass?: string;
  defaultInstances: number;
  maxStorageGi: number;
}

function invalid(key: string, problem: string): Error {
  return new Error(`Invalid config: ${ROOT}.${key}: ${problem}`);
}

function readKubernetes(config: Config | undefined): KubernetesAccess {
  if (!config) {
    if (process.env.KUBERNETES_SERVICE_HOST) {
      return { kind: 'in-cluster' };
    }
    throw invalid(
      'kubernetes',
      'is required when the backend does not run in a Kubernetes pod; set kubeconfigPath, or url with caFile and serviceAccountToken',
    );
  }
  const path = config.getOptionalString('kubeconfigPath');
  const url = config.getOptionalString('url');
  if (path && url) {
    throw invalid('kubernetes', 'set either kubeconfigPath or url, not both');
  }
  if (path) {
    return { kind: 'kubeconfig', path };
  }
  if (!url) {
    throw invalid('kubernetes', 'needs kubeconfigPath or url');
  }
  if (!/^https?:\/\//.test(url)) {
    throw invalid('kubernetes.url', `'${url}' is not an http(s) URL`);
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

function readWholeNumber(
  config: Config,
  key: string,
  fallback: number,
  range: { min: number; max: number },
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw invalid(
      key,
      `${value} must be a whole number from ${range.min} to ${range.max}`,
    );
  }
  return value;
}

/**
 * Reads `provisioning.cnpg`; undefined when the section is absent. Throws an error
 * naming the key for anything invalid, so that the backend does not start with it.
 *
 * @public
 */
export function readCnpgConfig(root: Config): CnpgModuleConfig | undefined {
  const config = root.getOptionalConfig(ROOT);
  if (!config) {
    return undefined;
  }
  const storageClass = config.getOptionalString('storageClass');
  if (
    storageClass !== undefined &&
    !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(storageClass)
  ) {
    throw invalid(
      'storageClass',
      `'${storageClass}' is not a storage class name`,
    );
  }
  const imageName = config.getOptionalString('imageName');
  if (imageName !== undefined && !/^\S+$/.test(imageName)) {
    throw invalid('imageName', `'${imageName}' is not an image reference`);
  }
  return {
    kubernetes: readKubernetes(config.getOptionalConfig('kubernetes')),
    imageName,
    storageClass,
    defaultInstances: readWholeNumber(config, 'defaultInstances', 1, INSTANCES),
    maxStorageGi: readWholeNumber(config, 'maxStorageGi', 50, {
      min: 1,
      max: 65536,
    }),
  };
}

import { Config } from '@backstage/config';
import {
  KubernetesAccess,
  readKubernetesSection,
} from '@paved/kubernetes-access';

export type { KubernetesAccess };

const ROOT = 'provisioning.cnpg';

/** The most instances (a primary and its replicas) one Cluster may have. */
export const INSTANCES = { min: 1, max: 5 };

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
    kubernetes: readKubernetesSection(config, ROOT),
    imageName,
    storageClass,
    defaultInstances: readWholeNumber(config, 'defaultInstances', 1, INSTANCES),
    maxStorageGi: readWholeNumber(config, 'maxStorageGi', 50, {
      min: 1,
      max: 65536,
    }),
  };
}

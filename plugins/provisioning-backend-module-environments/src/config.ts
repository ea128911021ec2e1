import { Config } from '@backstage/config';
import {
  KubernetesAccess,
  readKubernetesSection,
} from '@paved/kubernetes-access';

export type { KubernetesAccess };

const ROOT = 'provisioning.environments';

/** The sizes a request may pick, smallest first. @public */
export const SIZES = ['small', 'medium', 'large'] as const;

/** A size of environment. @public */
export type EnvironmentSizeName = (typeof SIZES)[number];

/** What one size of environment gets: its ResourceQuota and LimitRange defaults. @public */
export interface EnvironmentSize {
  requestsCpu: string;
  requestsMemory: string;
  limitsCpu: string;
  limitsMemory: string;
  pods: number;
  services: number;
  persistentVolumeClaims: number;
  defaultRequestCpu: string;
  defaultRequestMemory: string;
  defaultLimitCpu: string;
  defaultLimitMemory: string;
}

/** The built-in size table (docs/self-service.md shows it). @public */
export const DEFAULT_SIZES: Record<EnvironmentSizeName, EnvironmentSize> = {
  small: {
    requestsCpu: '2',
    requestsMemory: '4Gi',
    limitsCpu: '4',
    limitsMemory: '8Gi',
    pods: 20,
    services: 10,
    persistentVolumeClaims: 5,
    defaultRequestCpu: '100m',
    defaultRequestMemory: '128Mi',
    defaultLimitCpu: '500m',
    defaultLimitMemory: '512Mi',
  },
  medium: {
    requestsCpu: '4',
    requestsMemory: '8Gi',
    limitsCpu: '8',
    limitsMemory: '16Gi',
    pods: 50,
    services: 20,
    persistentVolumeClaims: 10,
    defaultRequestCpu: '200m',
    defaultRequestMemory: '256Mi',
    defaultLimitCpu: '1',
    defaultLimitMemory: '1Gi',
  },
  large: {
    requestsCpu: '8',
    requestsMemory: '16Gi',
    limitsCpu: '16',
    limitsMemory: '32Gi',
    pods: 100,
    services: 40,
    persistentVolumeClaims: 20,
    defaultRequestCpu: '250m',
    defaultRequestMemory: '512Mi',
    defaultLimitCpu: '2',
    defaultLimitMemory: '2Gi',
  },
};

/** `provisioning.environments`, validated and with defaults. @public */
export interface EnvironmentsModuleConfig {
  kubernetes: KubernetesAccess;
  ingressNamespace: string;
  sizes: Record<EnvironmentSizeName, EnvironmentSize>;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
// A Kubernetes quantity: digits with an optional decimal part and suffix.
const QUANTITY = /^\d+(\.\d+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const QUANTITY_KEYS = [
  'requestsCpu',
  'requestsMemory',
  'limitsCpu',
  'limitsMemory',
  'defaultRequestCpu',
  'defaultRequestMemory',
  'defaultLimitCpu',
  'defaultLimitMemory',
] as const;
const COUNT_KEYS = ['pods', 'services', 'persistentVolumeClaims'] as const;

function invalid(key: string, problem: string): Error {
  return new Error(`Invalid config: ${ROOT}.${key}: ${problem}`);
}

function readSize(
  config: Config | undefined,
  size: EnvironmentSizeName,
): EnvironmentSize {
  const result = { ...DEFAULT_SIZES[size] };
  if (!config) {
    return result;
  }
  for (const key of QUANTITY_KEYS) {
    const value = config.getOptionalString(key);
    if (value === undefined) continue;
    if (!QUANTITY.test(value)) {
      throw invalid(
        `sizes.${size}.${key}`,
        `'${value}' is not a Kubernetes quantity such as 500m or 2Gi`,
      );
    }
    result[key] = value;
  }
  for (const key of COUNT_KEYS) {
    const value = config.getOptionalNumber(key);
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0) {
      throw invalid(`sizes.${size}.${key}`, `${value} must be a whole number`);
    }
    result[key] = value;
  }
  return result;
}

/**
 * Reads `provisioning.environments`; undefined when the section is absent. Throws an
 * error naming the key for anything invalid, so that the backend does not start with it.
 *
 * @public
 */
export function readEnvironmentsConfig(
  root: Config,
): EnvironmentsModuleConfig | undefined {
  const config = root.getOptionalConfig(ROOT);
  if (!config) {
    return undefined;
  }
  const ingressNamespace =
    config.getOptionalString('ingressNamespace') ?? 'ingress-nginx';
  if (!DNS_LABEL.test(ingressNamespace)) {
    throw invalid(
      'ingressNamespace',
      `'${ingressNamespace}' is not a namespace name`,
    );
  }
  const sizes = config.getOptionalConfig('sizes');
  for (const key of sizes?.keys() ?? []) {
    if (!(SIZES as readonly string[]).includes(key)) {
      throw invalid(
        `sizes.${key}`,
        `is not a size; sizes are ${SIZES.join(', ')}`,
      );
    }
  }
  return {
    kubernetes: readKubernetesSection(config, ROOT),
    ingressNamespace,
    sizes: {
      small: readSize(sizes?.getOptionalConfig('small'), 'small'),
      medium: readSize(sizes?.getOptionalConfig('medium'), 'medium'),
      large: readSize(sizes?.getOptionalConfig('large'), 'large'),
    },
  };
}

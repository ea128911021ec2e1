import { Config } from '@backstage/config';
import { parseConfigSection } from '@paved/backend-plugin-utils';
import {
  KubernetesAccess,
  readKubernetesSection,
} from '@paved/kubernetes-access';
import { z } from 'zod';
import {
  DEFAULT_PROBES,
  DEFAULT_WORKLOAD_DEFAULTS,
  WorkloadDefaults,
} from './render';

export type { KubernetesAccess };

/** The config section of the module. */
export const SCORE_CONFIG_ROOT = 'provisioning.score';

// A Kubernetes quantity: digits with an optional decimal part and suffix.
const quantity = z
  .string({ error: 'must be a string' })
  .regex(
    /^\d+(\.\d+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/,
    'must be a Kubernetes quantity such as 500m or 256Mi',
  );

const seconds = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const cpuMemory = z
  .object({ cpu: quantity.optional(), memory: quantity.optional() })
  .strict();

const sectionSchema = z
  .object({
    baseDomain: z
      .string({ error: 'must be a string' })
      .regex(
        /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
        'must be a DNS name, e.g. apps.example.com',
      )
      .optional(),
    defaults: z
      .object({
        requests: cpuMemory.optional(),
        limits: cpuMemory.optional(),
        progressDeadlineSeconds: z
          .number({ error: 'must be a number' })
          .int('must be a whole number')
          .min(1, 'must be at least 1')
          .max(3600, 'must be at most 3600')
          .optional(),
        ingressClassName: z
          .string({ error: 'must be a string' })
          .regex(
            /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
            'must be an IngressClass name',
          )
          .optional(),
        probes: z
          .union(
            [
              z.boolean(),
              z
                .object({
                  enabled: z
                    .boolean({ error: 'must be true or false' })
                    .optional(),
                  readinessPeriodSeconds: seconds(1, 300).optional(),
                  livenessPeriodSeconds: seconds(1, 300).optional(),
                  livenessInitialDelaySeconds: seconds(0, 3600).optional(),
                })
                .strict(),
            ],
            { error: 'must be true, false or an object of probe settings' },
          )
          .optional(),
      })
      .strict()
      .optional(),
    // Read by readKubernetesSection, which names its keys.
    kubernetes: z.unknown().optional(),
    // The deployments API: the sample organisation's history (./paved start only).
    sampleHistory: z.boolean({ error: 'must be true or false' }).optional(),
    dora: z
      .object({
        failureWindowHours: z
          .number({ error: 'must be a number' })
          .positive('must be more than 0')
          .max(24 * 30, 'must be at most 720 (30 days)')
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** `provisioning.score`, validated and with defaults. @public */
export interface ScoreModuleConfig {
  kubernetes: KubernetesAccess;
  /** Host names of `dns` resources are `<workload>-<environment>.<baseDomain>`. */
  baseDomain: string;
  defaults: WorkloadDefaults;
  /** Seed the sample organisation's deployment history on start when there is none. */
  sampleHistory: boolean;
  /** Hours after a production deployment in which a rollback or incident is its failure. */
  failureWindowHours: number;
}

/** The DORA research's usual window for a change failure. */
export const DEFAULT_FAILURE_WINDOW_HOURS = 24;

/** localtest.me and its subdomains resolve to 127.0.0.1: local ingress works without DNS. */
export const DEFAULT_BASE_DOMAIN = 'localtest.me';

/**
 * Reads `provisioning.score`; undefined when the section is absent. Throws an error
 * naming every invalid key, so that the backend does not start with it.
 *
 * @public
 */
export function readScoreConfig(root: Config): ScoreModuleConfig | undefined {
  const config = root.getOptionalConfig(SCORE_CONFIG_ROOT);
  if (!config) {
    return undefined;
  }
  const section = parseConfigSection(
    sectionSchema,
    config.get(),
    SCORE_CONFIG_ROOT,
  );
  const defaults = section.defaults ?? {};
  return {
    kubernetes: readKubernetesSection(config, SCORE_CONFIG_ROOT),
    baseDomain: section.baseDomain ?? DEFAULT_BASE_DOMAIN,
    sampleHistory: section.sampleHistory ?? false,
    failureWindowHours:
      section.dora?.failureWindowHours ?? DEFAULT_FAILURE_WINDOW_HOURS,
    defaults: {
      requests: { ...DEFAULT_WORKLOAD_DEFAULTS.requests, ...defaults.requests },
      limits: { ...DEFAULT_WORKLOAD_DEFAULTS.limits, ...defaults.limits },
      progressDeadlineSeconds:
        defaults.progressDeadlineSeconds ??
        DEFAULT_WORKLOAD_DEFAULTS.progressDeadlineSeconds,
      ...(defaults.ingressClassName
        ? { ingressClassName: defaults.ingressClassName }
        : {}),
      probes: {
        ...DEFAULT_PROBES,
        ...(typeof defaults.probes === 'boolean'
          ? { enabled: defaults.probes }
          : defaults.probes),
      },
    },
  };
}

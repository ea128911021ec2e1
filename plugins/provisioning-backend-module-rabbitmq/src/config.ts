import { Config } from '@backstage/config';
import { parseConfigSection } from '@paved/backend-plugin-utils';
import {
  KubernetesAccess,
  readKubernetesSection,
} from '@paved/kubernetes-access';
import { z } from 'zod';

export type { KubernetesAccess };

const ROOT = 'provisioning.rabbitmq';

/** Ports may come from environment variables, as strings. */
const port = z.preprocess(
  value =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  z
    .number({ error: 'must be a TCP port' })
    .int('must be a whole number')
    .min(1, 'must be a TCP port (1 to 65535)')
    .max(65535, 'must be a TCP port (1 to 65535)'),
);

const requiredString = () =>
  z.string({
    error: issue =>
      issue.input === undefined ? 'is required' : 'must be a string',
  });

const sectionSchema = z
  .object({
    managementUrl: z
      .string({ error: 'is required' })
      .regex(
        /^https?:\/\/[^/\s@]+(\/\S*)?$/,
        'must be an http(s) URL of the management API, e.g. https://rabbitmq.internal:15671',
      ),
    adminUser: requiredString().min(1, 'must not be empty'),
    adminPassword: z
      .string({ error: 'is required' })
      .min(1, 'must not be empty'),
    amqpHost: z
      .string({ error: 'is required' })
      .regex(
        /^[A-Za-z0-9.:[\]-]+$/,
        'must be a host name or address, e.g. rabbitmq.messaging.svc',
      ),
    amqpPort: port,
    tls: z.boolean({ error: 'must be true or false' }).optional(),
    backlogAlertThreshold: z
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .optional(),
    // Read by readKubernetesSection, which names its own keys.
    kubernetes: z.unknown().optional(),
  })
  .strict();

/** `provisioning.rabbitmq`, validated and with defaults. @public */
export interface RabbitmqModuleConfig {
  /** Without a trailing slash. */
  managementUrl: string;
  adminUser: string;
  adminPassword: string;
  amqpHost: string;
  amqpPort: number;
  tls: boolean;
  backlogAlertThreshold: number;
  kubernetes: KubernetesAccess;
}

/**
 * Reads `provisioning.rabbitmq`; undefined when the section is absent. Throws an error
 * naming every invalid key, so that the backend does not start with it. The message
 * never carries a value (the admin password is one).
 *
 * @public
 */
export function readRabbitmqConfig(
  root: Config,
): RabbitmqModuleConfig | undefined {
  const config = root.getOptionalConfig(ROOT);
  if (!config) {
    return undefined;
  }
  const section = parseConfigSection(sectionSchema, config.get(), ROOT);
  return {
    managementUrl: section.managementUrl.replace(/\/+$/, ''),
    adminUser: section.adminUser,
    adminPassword: section.adminPassword,
    amqpHost: section.amqpHost,
    amqpPort: section.amqpPort,
    tls: section.tls ?? false,
    backlogAlertThreshold: section.backlogAlertThreshold ?? 1000,
    kubernetes: readKubernetesSection(config, ROOT),
  };
}

import { Config } from '@backstage/config';
import { parseConfigSection } from '@paved/backend-plugin-utils';
import {
  KubernetesAccess,
  readKubernetesSection,
} from '@paved/kubernetes-access';
import { readDeletionRetention } from '@paved/plugin-provisioning-node';
import { z } from 'zod';
import { RESERVED_PREFIXES } from './names';

export type { KubernetesAccess };

const ROOT = 'provisioning.s3';

const httpUrl = (example: string) =>
  z
    .string({ error: 'is required' })
    .regex(
      /^https?:\/\/[^/\s]+(\/\S*)?$/,
      `must be an http(s) URL, e.g. ${example}`,
    );

const sectionSchema = z
  .object({
    endpoint: httpUrl('https://s3.eu-west-1.amazonaws.com'),
    region: z
      .string({ error: 'is required' })
      .regex(/^[a-z0-9-]+$/, 'must be a region name, e.g. us-east-1'),
    forcePathStyle: z.boolean({ error: 'must be true or false' }).optional(),
    accessKeyId: z.string({ error: 'is required' }).min(1, 'must not be empty'),
    secretAccessKey: z
      .string({ error: 'is required' })
      .min(1, 'must not be empty'),
    publicEndpoint: httpUrl('http://versitygw.storage.svc:7070').optional(),
    bucketPrefix: z
      .string({ error: 'must be a string' })
      .regex(
        /^[a-z0-9][a-z0-9-]{0,39}$/,
        'must be lowercase letters, digits and dashes, starting with a letter or digit, at most 40 characters, e.g. acme-',
      )
      .refine(
        prefix => !RESERVED_PREFIXES.some(p => prefix.startsWith(p)),
        `must not start with a prefix S3 reserves (${RESERVED_PREFIXES.join(
          ', ',
        )})`,
      )
      .optional(),
    accessKeys: z
      .object(
        {
          type: z.literal('versitygw', {
            error: "must be 'versitygw' (the only kind of access keys today)",
          }),
          adminEndpoint: httpUrl('http://versitygw.storage.svc:7071'),
        },
        { error: 'is required' },
      )
      .strict(),
    // Read by readDeletionRetention and readKubernetesSection, which name their keys.
    deletionRetention: z.unknown().optional(),
    kubernetes: z.unknown().optional(),
    // Task schedules, read by the module with the scheduler's own reader.
    purgeSchedule: z.unknown().optional(),
    expirySchedule: z.unknown().optional(),
  })
  .strict();

/** How access keys are made: versitygw's admin API. @public */
export interface AccessKeysConfig {
  type: 'versitygw';
  /** Without a trailing slash. */
  adminEndpoint: string;
}

/** `provisioning.s3`, validated and with defaults. @public */
export interface S3ModuleConfig {
  /** Without a trailing slash. */
  endpoint: string;
  region: string;
  forcePathStyle: boolean;
  accessKeyId: string;
  secretAccessKey: string;
  /** What applications use; `endpoint` unless configured. */
  publicEndpoint: string;
  /** '' when none. */
  bucketPrefix: string;
  accessKeys: AccessKeysConfig;
  deletionRetentionMs: number;
  kubernetes: KubernetesAccess;
}

const withoutSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * Reads `provisioning.s3`; undefined when the section is absent. Throws an error naming
 * every invalid key, so that the backend does not start with it. The message never
 * carries a value (the secret key is one).
 *
 * @public
 */
export function readS3Config(root: Config): S3ModuleConfig | undefined {
  const config = root.getOptionalConfig(ROOT);
  if (!config) {
    return undefined;
  }
  const section = parseConfigSection(sectionSchema, config.get(), ROOT);
  const endpoint = withoutSlash(section.endpoint);
  return {
    endpoint,
    region: section.region,
    forcePathStyle: section.forcePathStyle ?? false,
    accessKeyId: section.accessKeyId,
    secretAccessKey: section.secretAccessKey,
    publicEndpoint: section.publicEndpoint
      ? withoutSlash(section.publicEndpoint)
      : endpoint,
    bucketPrefix: section.bucketPrefix ?? '',
    accessKeys: {
      type: section.accessKeys.type,
      adminEndpoint: withoutSlash(section.accessKeys.adminEndpoint),
    },
    deletionRetentionMs: readDeletionRetention(config, ROOT),
    kubernetes: readKubernetesSection(config, ROOT),
  };
}

import { JsonObject } from '@backstage/types';
import {
  ENVIRONMENT_STAGES,
  EnvironmentStage,
} from '@paved/plugin-deployments-common';
import {
  EnvironmentsModuleConfig,
  EnvironmentSizeName,
  SIZES,
} from '../config';

/** The longest time-to-live, in hours, and the most an owner may extend by. */
export const MAX_TTL_HOURS = 168;

/** `component:[namespace/]name`, as the catalog spells entity refs. */
const COMPONENT_REF =
  '^component:([a-z0-9]+([-_.][a-z0-9]+)*/)?[A-Za-z0-9]+([-_.][A-Za-z0-9]+)*$';
const ENVIRONMENT_NAME = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/** A container image reference without whitespace, e.g. `ghcr.io/acme/orders:pr-12`. */
const IMAGE = '^[^\\s]+$';

/** The parameters of an `environment` request. @public */
export interface EnvironmentParameters {
  [key: string]:
    | string
    | number
    | boolean
    | { repository: string; number: number }
    | undefined;
  component?: string;
  size: EnvironmentSizeName;
  /** Absent on requests made before environments had stages: `development`. */
  stage?: EnvironmentStage;
  expires: boolean;
  ttlHours: number;
  source?: string;
  seedDatabases?: boolean;
  image?: string;
  pullRequest?: { repository: string; number: number };
}

/** The JSON Schema of a container image field (a request's or the deploy action's). */
export const imageSchema = (description: string): JsonObject => ({
  type: 'string',
  title: 'Image',
  description,
  maxLength: 512,
  pattern: IMAGE,
});

/**
 * The JSON Schema of {@link EnvironmentParameters}, from which the request form is
 * generated; the sizes' descriptions come from the configured sizes.
 */
export function environmentParametersSchema(
  config: EnvironmentsModuleConfig,
): JsonObject {
  const { small, medium, large } = config.sizes;
  return {
    type: 'object',
    additionalProperties: false,
    required: ['size', 'expires', 'ttlHours'],
    properties: {
      component: {
        type: 'string',
        title: 'Component',
        description:
          "The component the environment runs, as an entity ref such as component:default/checkout-service. Optional; the component's Kubernetes tab then shows the environment's workloads.",
        maxLength: 255,
        pattern: COMPONENT_REF,
      },
      size: {
        type: 'string',
        title: 'Size',
        description: `How much CPU, memory and how many pods the environment may use: small (${small.requestsCpu} CPU, ${small.requestsMemory}), medium (${medium.requestsCpu} CPU, ${medium.requestsMemory}) or large (${large.requestsCpu} CPU, ${large.requestsMemory}) of requests.`,
        enum: [...SIZES],
        default: 'small',
      },
      stage: {
        type: 'string',
        title: 'Stage',
        description:
          'The stage of the delivery pipeline the environment stands for: development (the default: features, tests, pull requests), staging (a release candidate, checked before production) or production (what users use). Deployments are promoted from one stage to the next, and deploying to production may need an approval.',
        enum: [...ENVIRONMENT_STAGES],
        default: 'development',
      },
      expires: {
        type: 'boolean',
        title: 'Expires',
        description:
          'Whether the environment is deleted after its time-to-live without activity. Turn off only for long-lived environments.',
        default: true,
      },
      ttlHours: {
        type: 'integer',
        title: 'Time to live (hours)',
        description: `Hours without activity (a deploy, a visit of its page) after which the environment is deleted, 1 to ${MAX_TTL_HOURS}; owners are told before.`,
        minimum: 1,
        maximum: MAX_TTL_HOURS,
        default: 72,
      },
      source: {
        type: 'string',
        title: 'Copy of',
        description:
          "The name of an existing environment to copy: its Deployments, StatefulSets, Services, ConfigMaps and Ingresses (never its Secrets). It must be one of your team's environments. Optional.",
        maxLength: 63,
        pattern: ENVIRONMENT_NAME,
      },
      // Named before environments held anything but databases; kept, as requests
      // and CI scripts send it.
      seedDatabases: {
        type: 'boolean',
        title: 'Copy contents',
        description:
          "Resources attached to the source (databases, queues, buckets: requests with it as their environment) are made afresh for the copy, empty; with this on, those whose type can seed a copy start with the source's contents (a database is restored from a fresh backup of its source). Only with Copy of.",
        default: false,
      },
      image: imageSchema(
        'A container image that replaces the image of every container of the Deployments and StatefulSets, e.g. the build of a pull request. Optional.',
      ),
      pullRequest: {
        type: 'object',
        title: 'Pull request',
        description:
          'The pull request the environment previews; set by the pull-request endpoint.',
        additionalProperties: false,
        required: ['repository', 'number'],
        properties: {
          repository: {
            type: 'string',
            title: 'Repository',
            description: 'The repository, as owner/name.',
            maxLength: 255,
          },
          number: {
            type: 'integer',
            title: 'Number',
            description: 'The pull request number.',
            minimum: 1,
          },
        },
      },
    },
  };
}

import { JsonObject, JsonValue } from '@backstage/types';
import { environmentNameSchema } from '@paved/plugin-provisioning-node';
import { MAX_QUEUE_NAME_LENGTH, QUEUE_NAME_PATTERN } from './names';

/** `component:[namespace/]name`, as the catalog spells entity refs. */
const COMPONENT_REF =
  '^component:([a-z0-9]+([-_.][a-z0-9]+)*/)?[A-Za-z0-9]+([-_.][A-Za-z0-9]+)*$';

/** The most queues one request makes. */
export const MAX_QUEUES = 20;
/** Bounds of the limits a queue may have. */
export const LIMITS = {
  maxLength: { min: 1, max: 10_000_000 },
  // A week.
  messageTtlSeconds: { min: 1, max: 604_800 },
};

/** A queue's limits; absent ones are off. */
export interface QueueLimits {
  [key: string]: JsonValue | undefined;
  maxLength?: number;
  messageTtlSeconds?: number;
}

/** One queue of a request. */
export interface QueueSpec extends QueueLimits {
  name: string;
  /** Whether dropped and expired messages go to `<name>.dlq`. */
  deadLetter?: boolean;
}

/** The parameters of a `rabbitmq-queue` request, after validation and defaults. */
export interface QueueParameters {
  [key: string]: JsonValue | undefined;
  queues: QueueSpec[];
  component?: string;
  /** The `environment` request the queues are attached to: their Secret goes there. */
  environmentName?: string;
}

/** The JSON Schema of a queue's limits, for the request form and `set-limits`. */
export const limitProperties: JsonObject = {
  maxLength: {
    type: 'integer',
    title: 'Max length',
    description: `The most messages the queue holds (${LIMITS.maxLength.min} to ${LIMITS.maxLength.max}); past it the oldest are dropped, or dead-lettered. Empty: no limit.`,
    minimum: LIMITS.maxLength.min,
    maximum: LIMITS.maxLength.max,
  },
  messageTtlSeconds: {
    type: 'integer',
    title: 'Message TTL (seconds)',
    description: `How long a message may wait in the queue (${LIMITS.messageTtlSeconds.min} s to a week) before it is dropped, or dead-lettered. Empty: no limit.`,
    minimum: LIMITS.messageTtlSeconds.min,
    maximum: LIMITS.messageTtlSeconds.max,
  },
};

/** The JSON Schema property of a queue name. */
export const queueNameSchema: JsonObject = {
  type: 'string',
  title: 'Queue name',
  description: `Lowercase letters, digits, dots, dashes and underscores, at most ${MAX_QUEUE_NAME_LENGTH} characters, e.g. orders.created; not amq.… (reserved by RabbitMQ) and not ….dlq (dead-letter queues are named so).`,
  maxLength: MAX_QUEUE_NAME_LENGTH,
  pattern: QUEUE_NAME_PATTERN,
};

/** The JSON Schema of a `rabbitmq-queue` request's parameters. */
export const queueParametersSchema: JsonObject = {
  type: 'object',
  additionalProperties: false,
  required: ['queues'],
  properties: {
    queues: {
      type: 'array',
      title: 'Queues',
      description: `The durable queues made in the virtual host (1 to ${MAX_QUEUES}), each with its own limits. Applications may declare more of their own.`,
      minItems: 1,
      maxItems: MAX_QUEUES,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: queueNameSchema,
          deadLetter: {
            type: 'boolean',
            title: 'Dead-letter queue',
            description:
              'Messages that are rejected, expire or overflow the max length go to the queue <name>.dlq instead of being dropped.',
            default: false,
          },
          ...limitProperties,
        },
      },
    },
    component: {
      type: 'string',
      title: 'Component',
      description:
        'The component the queues serve, as an entity ref such as component:default/checkout-service. Optional; its Secret is annotated with it.',
      maxLength: 255,
      pattern: COMPONENT_REF,
    },
    environmentName: environmentNameSchema('queue'),
  },
};

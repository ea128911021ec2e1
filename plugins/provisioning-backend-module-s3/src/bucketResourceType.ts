import { JsonObject } from '@backstage/types';
import {
  environmentNameSchema,
  environmentReferences,
  ResourceType,
  SecretWriter,
} from '@paved/plugin-provisioning-node';
import { AccessKeyManager } from './accessKeys/AccessKeyManager';
import { bucketStatus } from './bucketStatus';
import {
  BucketParameters,
  BucketProvisioner,
  CONFIRM_FIELD,
  confirmationProblem,
} from './BucketProvisioner';
import { S3ModuleConfig } from './config';
import { bucketNameValidator, BUCKET_NAME_LENGTH } from './names';
import { S3Buckets } from './S3Buckets';
import { bucketScore } from './score';
import { componentSchema, EXPIRY_PREFIX, MAX_EXPIRY_DAYS } from './schema';

/**
 * The `s3-bucket` resource type: a bucket on the configured S3 server, an access key
 * that may use only it, and the key in a Kubernetes Secret in the owning team's (or
 * environment's) namespace.
 *
 * @public
 */
export function createBucketResourceType(options: {
  config: S3ModuleConfig;
  buckets: S3Buckets;
  keys: AccessKeyManager;
  secrets: SecretWriter;
  now?: () => Date;
}): ResourceType<BucketParameters> {
  const { config, buckets } = options;
  const steps = new BucketProvisioner({
    buckets,
    keys: options.keys,
    secrets: options.secrets,
    endpoint: {
      endpoint: config.publicEndpoint,
      region: config.region,
      forcePathStyle: config.forcePathStyle,
    },
    bucketPrefix: config.bucketPrefix,
    now: options.now ?? (() => new Date()),
  });
  const prefix = config.bucketPrefix;
  const room = BUCKET_NAME_LENGTH.max - prefix.length;
  const parameters: JsonObject = {
    type: 'object',
    additionalProperties: false,
    required: ['versioning'],
    properties: {
      component: componentSchema(
        'The component the bucket serves, as an entity ref such as component:default/checkout-service. Optional; its Secret is annotated with it.',
      ),
      versioning: {
        type: 'boolean',
        title: 'Versioning',
        description:
          'Keeps every version of an object, so that an overwritten or deleted object can be got back (and counts against storage).',
        default: false,
      },
      expireAfterDays: {
        type: 'integer',
        title: 'Expire after (days)',
        description: `Deletes objects this many days after they were written (1 to ${MAX_EXPIRY_DAYS}), e.g. temporary uploads; only those under the prefix below, if one is given. Optional: without it objects stay until deleted.`,
        minimum: 1,
        maximum: MAX_EXPIRY_DAYS,
      },
      expirePrefix: {
        type: 'string',
        title: 'Expire only under prefix',
        description:
          "With an expiry, only objects whose keys start with it expire, e.g. tmp/; '' (the default) is every object.",
        maxLength: 200,
        pattern: EXPIRY_PREFIX,
      },
      environmentName: environmentNameSchema('bucket'),
    },
  };

  return {
    id: 's3-bucket',
    title: 'S3 bucket',
    description: `An S3 bucket with an access key that may use only it; the endpoint, region, bucket and key, secret included, arrive as the Kubernetes Secret <name>-s3 in your team's namespace, or in the namespace of the environment it is attached to. The bucket is ${
      prefix ? `'${prefix}' followed by the name` : 'named after the request'
    }: ${
      BUCKET_NAME_LENGTH.min
    } to ${room} lowercase letters, digits and dashes. Deleting it keeps its objects, unreachable, for a while before they are deleted.`,
    catalogType: 'bucket',
    parameters,
    validateName: bucketNameValidator(prefix),
    score: bucketScore({
      schema: parameters,
      namesOf: request => steps.namesOf({ request, outputs: request.outputs }),
    }),
    references: request => environmentReferences(request),
    // A copy of an environment gets an empty bucket of its own, with the same settings.
    environmentCopy: {},
    policy: { quotaCost: () => 1 },
    provision: ctx => steps.provision(ctx),
    actions: {
      'rotate-keys': {
        title: 'Rotate keys',
        description:
          'Gives the access key a new secret and writes it to the Secret. The old secret is refused at once.',
        parameters: {
          type: 'object',
          properties: {},
          additionalProperties: false,
        },
        run: ctx => steps.rotateKeys(ctx),
      },
      'empty-bucket': {
        title: 'Empty the bucket',
        description:
          'Deletes every object of the bucket (and every version of it, with versioning), for good. Type the bucket name to confirm.',
        parameters: {
          type: 'object',
          required: [CONFIRM_FIELD],
          additionalProperties: false,
          properties: {
            [CONFIRM_FIELD]: {
              type: 'string',
              title: 'Bucket name',
              description:
                "The bucket's name, typed to confirm that every object in it is deleted.",
              maxLength: 63,
            },
          },
        },
        checkInput: (input, request) =>
          confirmationProblem(input, steps.namesOf(request).bucket),
        run: ctx => steps.empty(ctx),
      },
    },
    status: ctx => bucketStatus(buckets, steps.namesOf(ctx).bucket, ctx),
    reconcile: ctx => steps.reconcile(ctx),
    destroy: ctx => steps.destroy(ctx),
  };
}

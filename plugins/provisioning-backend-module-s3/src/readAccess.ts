import { JsonValue } from '@backstage/types';
import { teamNamespace } from '@paved/plugin-provisioning-common';
import {
  deleteRequestSecret,
  NonRetryableError,
  readAccessRule,
  ResourceType,
  SecretWriter,
  setOutputs,
  StatusContext,
  StepContext,
} from '@paved/plugin-provisioning-node';
import { AccessKeyManager } from './accessKeys/AccessKeyManager';
import { bucketSecret, deliverKey, S3Endpoint } from './bucketSecret';
import { READ_ACCESS_TYPE } from './bucketStatus';
import { keyNameOf, readAccessSecretName } from './names';
import { S3Buckets, TAGS } from './S3Buckets';
import { componentSchema, REQUEST_NAME } from './schema';

/** The parameters of an `s3-bucket-read-access` request. */
export interface BucketReadAccessParameters {
  [key: string]: JsonValue | undefined;
  /** The name of the `s3-bucket` request whose bucket is read. */
  bucket: string;
  /** The component that reads it. */
  component: string;
}

type ReadAccessContext = StepContext<BucketReadAccessParameters>;

/** The field that names the bucket; errors name it. */
const BUCKET_FIELD = 'parameters.bucket';

/**
 * The `s3-bucket-read-access` resource type: a read-only access key for a component
 * to the bucket of an `s3-bucket` request, usually another team's, with its details in
 * a Secret in the requesting team's namespace. Deleting the bucket takes its access
 * away at once; deleting this request deletes the key.
 *
 * @public
 */
export function createBucketReadAccessResourceType(options: {
  buckets: S3Buckets;
  keys: AccessKeyManager;
  secrets: SecretWriter;
  /** What applications' Secrets say. */
  endpoint: S3Endpoint;
  now?: () => Date;
}): ResourceType<BucketReadAccessParameters> {
  const { buckets, keys, secrets, endpoint } = options;
  const now = options.now ?? (() => new Date());
  const keyName = (ctx: { request: { id: string } }) =>
    keyNameOf(ctx.request.id, 'reader');

  /**
   * The bucket read: its request must still be there, and the bucket its and not
   * deleted, or the grant would reach a bucket its owners deleted.
   */
  async function liveBucketOf(
    ctx: Pick<
      StatusContext<BucketReadAccessParameters>,
      'request' | 'requests' | 'signal'
    >,
  ): Promise<string> {
    const { bucket: name } = ctx.request.parameters;
    const source = await ctx.requests.findActive('s3-bucket', name);
    if (!source) {
      throw new NonRetryableError(
        `${BUCKET_FIELD}: there is no active s3-bucket '${name}' (was it deleted?)`,
      );
    }
    const { bucket } = source.outputs;
    if (typeof bucket !== 'string' || !bucket) {
      // Still being made: a retry finds it provisioned.
      throw new Error(
        `${BUCKET_FIELD}: bucket '${name}' is not provisioned yet`,
      );
    }
    const tags = await buckets.stateOf(bucket, ctx.signal);
    if (tags?.[TAGS.requestId] !== source.id || tags[TAGS.deletedAt]) {
      throw new NonRetryableError(
        `${BUCKET_FIELD}: bucket '${bucket}' of '${name}' is gone from the S3 server`,
      );
    }
    return bucket;
  }

  async function writeKey(ctx: ReadAccessContext, bucket: string) {
    const secretName = readAccessSecretName(ctx.request.name);
    const namespace = teamNamespace(ctx.request.owner);
    const { accessKeyId, secretUid } = await deliverKey({
      keys,
      secrets,
      keyName: keyName(ctx),
      bucket,
      access: 'read-only',
      namespace,
      createNamespace: true,
      signal: ctx.signal,
      secret: key =>
        bucketSecret({
          name: secretName,
          namespace,
          s3: endpoint,
          bucket,
          key,
          request: ctx.request,
          resourceType: READ_ACCESS_TYPE,
          component: ctx.request.parameters.component,
          annotations: {
            'paved.dev/bucket-ref': `resource:default/${ctx.request.parameters.bucket}`,
          },
        }),
    });
    ctx.logger.info(
      `Read-only access key ${accessKeyId} of bucket '${bucket}' is in Secret '${namespace}/${secretName}'`,
    );
    await setOutputs(ctx, {
      endpoint: endpoint.endpoint,
      region: endpoint.region,
      accessKeyId,
      secretName,
      secretNamespace: namespace,
      secretUid,
    });
  }

  return {
    id: READ_ACCESS_TYPE,
    title: 'Read-only access to an S3 bucket',
    description:
      "Lets a component read an S3 bucket of the portal, usually another team's (whose owner approves it): an access key of its own that may get and list the bucket's objects and change nothing, with the endpoint, bucket and key, secret included, in the Kubernetes Secret <name>-s3-ro in your team's namespace.",
    catalogType: 'bucket-access',
    parameters: {
      type: 'object',
      additionalProperties: false,
      required: ['bucket', 'component'],
      properties: {
        bucket: {
          type: 'string',
          title: 'Bucket',
          description:
            'The name of the S3 bucket request to read, as in the catalog, e.g. product-images.',
          maxLength: 63,
          pattern: REQUEST_NAME,
        },
        component: componentSchema(
          'The component that reads the bucket, as an entity ref such as component:default/reporting-service; its Secret is annotated with it.',
        ),
      },
    },
    ...readAccessRule<BucketReadAccessParameters>({
      parameter: 'bucket',
      type: 's3-bucket',
      describe: bucket => `read access to bucket ${bucket}`,
    }),
    async provision(ctx) {
      const bucket = await liveBucketOf(ctx);
      // Recorded before the key is made, so that a deletion finds it.
      await setOutputs(ctx, { bucket });
      await writeKey(ctx, bucket);
    },
    actions: {
      'rotate-keys': {
        title: 'Rotate keys',
        description:
          'Gives the read-only access key a new secret and writes it to the Secret. The old secret is refused at once.',
        parameters: {
          type: 'object',
          properties: {},
          additionalProperties: false,
        },
        async run(ctx) {
          await writeKey(ctx, await liveBucketOf(ctx));
          const rotatedAt = await ctx.checkpoint({
            key: 'rotated-at',
            fn: () => now().toISOString(),
          });
          await ctx.setOutput('keysRotatedAt', rotatedAt);
        },
      },
    },
    async reconcile(ctx) {
      let bucket: string;
      try {
        bucket = await liveBucketOf(ctx);
      } catch (error) {
        if (error instanceof NonRetryableError) {
          // Its bucket is gone: there is no grant to keep.
          return [];
        }
        throw error;
      }
      const changed = await keys.ensureGrant({
        name: keyName(ctx),
        bucket,
        access: 'read-only',
        signal: ctx.signal,
      });
      return changed
        ? [
            `the read-only key's grant in the policy of bucket '${bucket}' was missing or changed; put it back`,
          ]
        : [];
    },
    async destroy(ctx) {
      await deleteRequestSecret({
        secrets,
        name: readAccessSecretName(ctx.request.name),
        namespace: teamNamespace(ctx.request.owner),
        uid: ctx.outputs.secretUid,
        logger: ctx.logger,
      });
      const { bucket } = ctx.outputs;
      if (typeof bucket !== 'string' || !bucket) {
        ctx.logger.info('No access key was made for this request');
        return;
      }
      await keys.deleteKey({ name: keyName(ctx), bucket, signal: ctx.signal });
      ctx.logger.info(`Read-only access key of bucket '${bucket}' is deleted`);
    },
  };
}

import { JsonValue } from '@backstage/types';
import {
  ActionStepContext,
  deleteRequestSecret,
  DeliveryNamespace,
  deliveryNamespace,
  NonRetryableError,
  recordedDeliveryNamespace,
  SecretWriter,
  setOutputs,
  StatusContext,
  StepContext,
} from '@paved/plugin-provisioning-node';
import { AccessKeyManager } from './accessKeys/AccessKeyManager';
import { deleteAllObjects } from './bucketContents';
import { bucketSecret, deliverKey, S3Endpoint } from './bucketSecret';
import { applyExpiry, ExpiryRule } from './expiry';
import { bucketNames, keyNameOf } from './names';
import { S3Buckets, TAGS } from './S3Buckets';

/** The parameters of an `s3-bucket` request, after validation and defaults. */
export interface BucketParameters {
  [key: string]: JsonValue | undefined;
  component?: string;
  versioning: boolean;
  /** Objects are deleted this many days after they were written; none when absent. */
  expireAfterDays?: number;
  /** Only objects whose keys start with it expire; '' (all) when absent. */
  expirePrefix?: string;
  /** The `environment` request the bucket is attached to: its Secret goes there. */
  environmentName?: string;
}

export type BucketStepContext = StepContext<BucketParameters>;

/** The field an empty-bucket action's confirmation is typed into. */
export const CONFIRM_FIELD = 'bucket';

/** What the steps of the `s3-bucket` type do, on the S3 server and in Kubernetes. */
export class BucketProvisioner {
  constructor(
    private readonly deps: {
      buckets: S3Buckets;
      keys: AccessKeyManager;
      secrets: SecretWriter;
      /** What applications' Secrets say. */
      endpoint: S3Endpoint;
      bucketPrefix: string;
      now: () => Date;
    },
  ) {}

  /**
   * The bucket and Secret of a request: the bucket as provisioning recorded it (the
   * prefix in config may have changed since), else as its name makes it.
   */
  namesOf(ctx: Pick<StatusContext<BucketParameters>, 'request' | 'outputs'>) {
    const names = bucketNames(this.deps.bucketPrefix, ctx.request.name);
    const recorded = ctx.outputs.bucket;
    return typeof recorded === 'string' && recorded
      ? { ...names, bucket: recorded }
      : names;
  }

  async provision(ctx: BucketStepContext): Promise<void> {
    const { bucket } = this.namesOf(ctx);
    const { versioning } = ctx.request.parameters;
    const expiry = expiryRuleOf(ctx.request.parameters);
    // Where the Secret goes is checked first: a gone environment makes nothing.
    const where = await deliveryNamespace(ctx);
    // Recorded before the bucket is made, so that a deletion finds it.
    await setOutputs(ctx, { bucket });
    const made = await this.deps.buckets.ensure(
      bucket,
      ctx.request.id,
      ctx.signal,
    );
    ctx.logger.info(
      made === 'created'
        ? `Made bucket '${bucket}'`
        : `Bucket '${bucket}' of this request is there already`,
    );
    // A bucket made just now has versioning off, no lifecycle rules and the request's
    // tag only (see S3Buckets.ensure): nothing to read back or take away. One that
    // was there (a resumed run) is read, as it may be half-set.
    const fresh = made === 'created';
    if (versioning || !fresh) {
      await this.deps.buckets.setVersioning(bucket, versioning, ctx.signal);
    }
    const enforcer = await applyExpiry(
      this.deps.buckets,
      bucket,
      expiry,
      ctx.signal,
      fresh ? { [TAGS.requestId]: ctx.request.id } : undefined,
    );
    if (enforcer !== 'none') {
      ctx.logger.info(
        `Objects under '${expiry!.prefix}' expire after ${
          expiry!.days
        } day(s) (${
          enforcer === 'lifecycle'
            ? 'an S3 lifecycle rule'
            : "the portal's expiry task: the S3 server has no lifecycle rules"
        })`,
      );
    }
    await this.issueKey(ctx, where);
    await setOutputs(ctx, {
      versioning: versioning ? 'enabled' : 'off',
      expiry: enforcer,
    });
  }

  async rotateKeys(ctx: BucketStepContext): Promise<void> {
    await this.requireLive(ctx);
    await this.issueKey(ctx, recordedDeliveryNamespace(ctx));
    const rotatedAt = await ctx.checkpoint({
      key: 'rotated-at',
      fn: () => this.deps.now().toISOString(),
    });
    await ctx.setOutput('keysRotatedAt', rotatedAt);
  }

  /** Deletes every object; `confirm` must be the bucket's name. */
  async empty(ctx: ActionStepContext<BucketParameters>): Promise<void> {
    const { bucket } = this.namesOf(ctx);
    const problem = confirmationProblem(ctx.input, bucket);
    if (problem) {
      throw new NonRetryableError(problem);
    }
    await this.requireLive(ctx);
    const deleted = await deleteAllObjects(
      this.deps.buckets.s3,
      bucket,
      ctx.signal,
    );
    ctx.logger.info(
      `Bucket '${bucket}' is empty: deleted ${deleted} object(s) and version(s)`,
    );
    const emptiedAt = await ctx.checkpoint({
      key: 'emptied-at',
      fn: () => this.deps.now().toISOString(),
    });
    await ctx.setOutput('emptiedAt', emptiedAt);
  }

  /**
   * Deletes the Secret and the key and takes every grant on the bucket away (read
   * access of other teams included), but keeps the bucket and its objects: it is
   * tagged with the deletion time, and the purge task deletes it after the retention.
   */
  async destroy(ctx: BucketStepContext): Promise<void> {
    const { bucket, secretName } = this.namesOf(ctx);
    // The same time on every retry, so that the retention starts once.
    const deletedAt = await ctx.checkpoint({
      key: 'deleted-at',
      fn: () => this.deps.now().toISOString(),
    });
    await deleteRequestSecret({
      secrets: this.deps.secrets,
      name: secretName,
      namespace: recordedDeliveryNamespace(ctx).namespace,
      uid: ctx.outputs.secretUid,
      logger: ctx.logger,
    });
    const tags = await this.deps.buckets.stateOf(bucket, ctx.signal);
    const ours = tags?.[TAGS.requestId] === ctx.request.id;
    if (ours) {
      await this.deps.keys.revokeAll({ bucket, signal: ctx.signal });
    }
    await this.deps.keys.deleteKey({
      name: keyNameOf(ctx.request.id, 'owner'),
      bucket,
      signal: ctx.signal,
    });
    if (!ours) {
      ctx.logger.info(
        tags
          ? `Bucket '${bucket}' is not this request's; left it alone`
          : `Bucket '${bucket}' does not exist; deleted the access key`,
      );
      return;
    }
    if (!tags[TAGS.deletedAt]) {
      await this.deps.buckets.setTags(
        bucket,
        { ...tags, [TAGS.deletedAt]: deletedAt },
        ctx.signal,
      );
    }
    ctx.logger.info(
      `Bucket '${bucket}' is kept, unreachable, until the retention has passed (deleted ${
        tags[TAGS.deletedAt] ?? deletedAt
      }); its access key is deleted`,
    );
  }

  /** Puts back the key's grant and the versioning setting when changed by hand. */
  async reconcile(ctx: StatusContext<BucketParameters>): Promise<string[]> {
    const { bucket } = this.namesOf(ctx);
    const tags = await this.deps.buckets.stateOf(bucket, ctx.signal);
    if (tags?.[TAGS.requestId] !== ctx.request.id || tags[TAGS.deletedAt]) {
      return [];
    }
    const corrected: string[] = [];
    if (
      await this.deps.keys.ensureGrant({
        name: keyNameOf(ctx.request.id, 'owner'),
        bucket,
        access: 'read-write',
        signal: ctx.signal,
      })
    ) {
      corrected.push(
        `the access key's grant in the policy of bucket '${bucket}' was missing or changed; put it back`,
      );
    }
    const versioning = await this.deps.buckets.setVersioning(
      bucket,
      ctx.request.parameters.versioning,
      ctx.signal,
    );
    if (versioning !== 'unchanged') {
      corrected.push(
        `versioning of bucket '${bucket}' had been changed by hand; ${versioning} it again`,
      );
    }
    return corrected;
  }

  /** The bucket, which must be this request's and not deleted. */
  private async requireLive(
    ctx: Pick<
      StatusContext<BucketParameters>,
      'request' | 'outputs' | 'signal'
    >,
  ): Promise<void> {
    const { bucket } = this.namesOf(ctx);
    const tags = await this.deps.buckets.stateOf(bucket, ctx.signal);
    if (tags?.[TAGS.requestId] !== ctx.request.id || tags[TAGS.deletedAt]) {
      throw new NonRetryableError(
        `Bucket '${bucket}' of this request is gone from the S3 server (or no longer tagged ${TAGS.requestId}=${ctx.request.id})`,
      );
    }
  }

  /** A new secret for the bucket's key, written to the Secret. */
  private async issueKey(
    ctx: BucketStepContext,
    where: DeliveryNamespace,
  ): Promise<void> {
    const { bucket, secretName } = this.namesOf(ctx);
    const { namespace } = where;
    const { accessKeyId, secretUid } = await deliverKey({
      keys: this.deps.keys,
      secrets: this.deps.secrets,
      keyName: keyNameOf(ctx.request.id, 'owner'),
      bucket,
      access: 'read-write',
      namespace,
      // An environment's namespace is its own: never made here.
      createNamespace: !where.environment,
      signal: ctx.signal,
      secret: key =>
        bucketSecret({
          name: secretName,
          namespace,
          s3: this.deps.endpoint,
          bucket,
          key,
          request: ctx.request,
          resourceType: 's3-bucket',
          component: ctx.request.parameters.component,
        }),
    });
    ctx.logger.info(
      `Access key ${accessKeyId} of bucket '${bucket}' is in Secret '${namespace}/${secretName}'`,
    );
    await setOutputs(ctx, {
      endpoint: this.deps.endpoint.endpoint,
      region: this.deps.endpoint.region,
      accessKeyId,
      secretName,
      secretNamespace: namespace,
      secretUid,
    });
  }
}

/** The request's expiry rule, if it asked for one. */
export function expiryRuleOf(
  parameters: BucketParameters,
): ExpiryRule | undefined {
  const days = parameters.expireAfterDays;
  return typeof days === 'number'
    ? { days, prefix: parameters.expirePrefix ?? '' }
    : undefined;
}

/**
 * Why an empty-bucket input does not confirm `bucket`; undefined when it does. The
 * message names the field, as a 400 does.
 */
export function confirmationProblem(
  input: Record<string, unknown>,
  bucket: string,
): string | undefined {
  const typed = input[CONFIRM_FIELD];
  return typed === bucket
    ? undefined
    : `input.${CONFIRM_FIELD}: type the bucket's name, '${bucket}', to confirm that every object in it is deleted`;
}

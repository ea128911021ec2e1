import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { s3ErrorCode } from '../s3Client';
import {
  BucketPolicy,
  hasGrant,
  parsePolicy,
  PolicyStatement,
  withGrant,
  withoutGrant,
} from './bucketPolicy';

/** How often a change is tried when another one raced it. */
const ATTEMPTS = 5;

const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Changes one key's statement in a bucket's policy (GetBucketPolicy, then
 * PutBucketPolicy) and reads it back: S3 has no call that changes one statement, so
 * two grants on one bucket made at once could otherwise drop each other's.
 */
export class BucketPolicies {
  constructor(private readonly s3: S3Client) {}

  async read(
    bucket: string,
    signal?: AbortSignal,
  ): Promise<BucketPolicy | undefined> {
    try {
      const { Policy } = await this.s3.send(
        new GetBucketPolicyCommand({ Bucket: bucket }),
        { abortSignal: signal },
      );
      return parsePolicy(Policy);
    } catch (error) {
      if (s3ErrorCode(error) === 'NoSuchBucketPolicy') {
        return undefined;
      }
      throw error;
    }
  }

  /** Makes `statement` its principal's only grant; false when it already was. */
  async grant(
    bucket: string,
    statement: PolicyStatement,
    signal?: AbortSignal,
  ): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const policy = await this.read(bucket, signal);
      if (hasGrant(policy, statement)) {
        return attempt > 1;
      }
      if (attempt > ATTEMPTS) {
        throw new Error(
          `Could not grant access to bucket '${bucket}': its policy kept changing`,
        );
      }
      await this.write(bucket, withGrant(policy, statement), signal);
      await pause(20 * attempt * Math.random());
    }
  }

  /** Removes `principal`'s grant; succeeds when the bucket or its policy is gone. */
  async revoke(
    bucket: string,
    principal: string,
    signal?: AbortSignal,
  ): Promise<void> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      let policy: BucketPolicy | undefined;
      try {
        policy = await this.read(bucket, signal);
      } catch (error) {
        if (s3ErrorCode(error) === 'NoSuchBucket') {
          return;
        }
        throw error;
      }
      const rest = withoutGrant(policy, principal);
      if (
        !policy ||
        policy.Statement.length === (rest?.Statement.length ?? 0)
      ) {
        return;
      }
      await this.write(bucket, rest, signal);
      await pause(20 * attempt * Math.random());
    }
    throw new Error(
      `Could not revoke access to bucket '${bucket}': its policy kept changing`,
    );
  }

  /** Removes the whole policy; succeeds when the bucket or its policy is gone. */
  async deleteAll(bucket: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }), {
        abortSignal: signal,
      });
    } catch (error) {
      const code = s3ErrorCode(error);
      if (code !== 'NoSuchBucket' && code !== 'NoSuchBucketPolicy') {
        throw error;
      }
    }
  }

  private async write(
    bucket: string,
    policy: BucketPolicy | undefined,
    signal?: AbortSignal,
  ): Promise<void> {
    if (!policy) {
      await this.deleteAll(bucket, signal);
      return;
    }
    await this.s3.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify(policy),
      }),
      { abortSignal: signal },
    );
  }
}

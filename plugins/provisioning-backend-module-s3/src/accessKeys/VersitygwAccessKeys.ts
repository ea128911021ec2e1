import { generatePassword, redactError } from '@paved/plugin-provisioning-node';
import { shortHash } from '../names';
import { AccessKeyManager, BucketAccess, IssuedKey } from './AccessKeyManager';
import { BucketPolicies } from './BucketPolicies';
import { grantStatement } from './bucketPolicy';
import { VersitygwAdminClient } from './VersitygwAdminClient';

/**
 * Access keys on versitygw: each key is an account of role `user` (which may not make
 * buckets and owns none), made through the admin API, and granted its one bucket by a
 * statement of that bucket's policy naming it alone. Buckets stay the root account's.
 *
 * A key's access key id is derived from its name (`PVD` and 17 hex digits, the length
 * of AWS's), so a retried step finds the account it made and no account made by hand
 * can be mistaken for one. Rotation sets a new secret on the same account: versitygw
 * refuses the old one at once (on every gateway, when several share the IAM store,
 * only after their IAM cache expires: run them with `--iam-cache-disable`).
 */
export class VersitygwAccessKeys implements AccessKeyManager {
  constructor(
    private readonly admin: VersitygwAdminClient,
    private readonly policies: BucketPolicies,
  ) {}

  /** The access key id of key `name`. */
  static accessKeyIdOf(name: string): string {
    return `PVD${shortHash(name, 17).toUpperCase()}`;
  }

  async issueKey(options: {
    name: string;
    bucket: string;
    access: BucketAccess;
    signal?: AbortSignal;
  }): Promise<IssuedKey> {
    const { bucket, access, signal } = options;
    const accessKeyId = VersitygwAccessKeys.accessKeyIdOf(options.name);
    const secretAccessKey = generatePassword();
    try {
      const made = await this.admin.createUser(
        { access: accessKeyId, secret: secretAccessKey },
        signal,
      );
      if (
        made === 'exists' &&
        (await this.admin.setSecret(accessKeyId, secretAccessKey, signal)) ===
          'absent'
      ) {
        // Deleted in between: a retry makes it afresh.
        throw new Error(`Access key ${accessKeyId} vanished while it was set`);
      }
      // After the account: versitygw refuses a policy naming an unknown principal.
      await this.policies.grant(
        bucket,
        grantStatement(bucket, accessKeyId, access),
        signal,
      );
      return { accessKeyId, secretAccessKey };
    } catch (error) {
      throw redactError(error, [secretAccessKey]);
    }
  }

  async ensureGrant(options: {
    name: string;
    bucket: string;
    access: BucketAccess;
    signal?: AbortSignal;
  }): Promise<boolean> {
    const { bucket, access, signal } = options;
    const accessKeyId = VersitygwAccessKeys.accessKeyIdOf(options.name);
    return this.policies.grant(
      bucket,
      grantStatement(bucket, accessKeyId, access),
      signal,
    );
  }

  async deleteKey(options: {
    name: string;
    bucket: string;
    signal?: AbortSignal;
  }): Promise<void> {
    const { bucket, signal } = options;
    const accessKeyId = VersitygwAccessKeys.accessKeyIdOf(options.name);
    // The statement first: a policy naming a deleted account could not be written again.
    await this.policies.revoke(bucket, accessKeyId, signal);
    await this.admin.deleteUser(accessKeyId, signal);
  }

  async revokeAll(options: {
    bucket: string;
    signal?: AbortSignal;
  }): Promise<void> {
    await this.policies.deleteAll(options.bucket, options.signal);
  }
}

/**
 * What a key may do with its one bucket: `read-write` (objects: get, put, delete,
 * list, multipart uploads) or `read-only` (objects: get and list).
 *
 * @public
 */
export type BucketAccess = 'read-write' | 'read-only';

/**
 * An access key as S3 clients use it. The secret exists only in the value returned by
 * `issueKey`, on its way to a Kubernetes Secret.
 *
 * @public
 */
export interface IssuedKey {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Makes and removes S3 access keys that may use one bucket and nothing else. The S3
 * API has no call for it, so each server kind has its own implementation (versitygw's
 * admin API today; docs/buckets.md says what an AWS IAM one needs).
 *
 * Keys are named by the caller (`name`: stable for one request and role), so that a
 * retried step finds the key it made. Every method converges when called again.
 *
 * @public
 */
export interface AccessKeyManager {
  /**
   * Makes key `name` with `access` to `bucket` (and no other bucket), or, when it
   * exists, gives it a new secret: from then on the old secret is refused. Errors
   * never carry the secret.
   */
  issueKey(options: {
    name: string;
    bucket: string;
    access: BucketAccess;
    signal?: AbortSignal;
  }): Promise<IssuedKey>;

  /** Puts back the grant of key `name` on `bucket` if it was removed; true if it had to. */
  ensureGrant(options: {
    name: string;
    bucket: string;
    access: BucketAccess;
    signal?: AbortSignal;
  }): Promise<boolean>;

  /** Removes key `name` and its grant on `bucket`; succeeds when either is gone. */
  deleteKey(options: {
    name: string;
    bucket: string;
    signal?: AbortSignal;
  }): Promise<void>;

  /**
   * Takes every key's grant on `bucket` away (the keys stay until their own requests
   * delete them), e.g. when the bucket is deleted but kept for the retention.
   */
  revokeAll(options: { bucket: string; signal?: AbortSignal }): Promise<void>;
}

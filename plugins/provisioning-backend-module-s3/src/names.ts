import { createHash } from 'node:crypto';

/*
 * A request name as S3 and Kubernetes see it. The engine already requires a DNS
 * label (lowercase letters, digits, dashes, starting and ending with a letter or
 * digit, at most 63 characters); the bucket is `<bucketPrefix><name>`, which must
 * also follow S3's bucket naming rules.
 */

/** S3's limits on a bucket name's length. */
export const BUCKET_NAME_LENGTH = { min: 3, max: 63 };

/** Prefixes S3 reserves (punycode, access points, AWS's own examples). */
export const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
/** Suffixes S3 reserves (access point aliases, Object Lambda, directory and table buckets). */
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '--x-s3', '--table-s3'];

const BUCKET_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const IP_LIKE = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The objects of one `s3-bucket` request. */
export interface BucketNames {
  bucket: string;
  /** `<name>-s3`, in the team's or environment's namespace. */
  secretName: string;
}

export function bucketNames(prefix: string, name: string): BucketNames {
  return { bucket: `${prefix}${name}`, secretName: `${name}-s3` };
}

/** The Secret of an `s3-bucket-read-access` request: `<name>-s3-ro`. */
export function readAccessSecretName(name: string): string {
  return `${name}-s3-ro`;
}

/**
 * Why `bucket` is not a valid S3 bucket name; undefined when it is. Dots are refused
 * too: request names have none, and a dotted name breaks TLS for virtual-hosted
 * addressing.
 */
export function bucketNameProblem(bucket: string): string | undefined {
  if (
    bucket.length < BUCKET_NAME_LENGTH.min ||
    bucket.length > BUCKET_NAME_LENGTH.max
  ) {
    return `bucket '${bucket}' must have ${BUCKET_NAME_LENGTH.min} to ${BUCKET_NAME_LENGTH.max} characters`;
  }
  if (!BUCKET_NAME.test(bucket) || IP_LIKE.test(bucket)) {
    return `bucket '${bucket}' must be lowercase letters, digits and dashes, starting and ending with a letter or digit`;
  }
  const prefix = RESERVED_PREFIXES.find(p => bucket.startsWith(p));
  if (prefix) {
    return `bucket '${bucket}' starts with '${prefix}', which S3 reserves`;
  }
  const suffix = RESERVED_SUFFIXES.find(s => bucket.endsWith(s));
  if (suffix) {
    return `bucket '${bucket}' ends with '${suffix}', which S3 reserves`;
  }
  return undefined;
}

/**
 * The type's `validateName`: the request name must be a valid bucket name by itself
 * (so that one rule holds with or without a prefix: no `xn--...`, no `...-s3alias`)
 * and with the configured prefix. Runs before anything is stored (a 400 naming
 * `name`).
 */
export function bucketNameValidator(
  prefix: string,
): (name: string) => string | undefined {
  return name => {
    const own = bucketNameProblem(name);
    if (own || !prefix) {
      return own;
    }
    const problem = bucketNameProblem(`${prefix}${name}`);
    const room = BUCKET_NAME_LENGTH.max - prefix.length;
    return (
      problem &&
      `${problem} (the name after the prefix '${prefix}'; at most ${room} characters)`
    );
  };
}

/**
 * The name of an access key the way the key manager stores it: stable for one request
 * and role, so that a retried step finds the key it made, and derived from the request
 * id, so that no other request (or person) can have made it.
 */
export function keyNameOf(requestId: string, role: 'owner' | 'reader'): string {
  return `${role}:${requestId}`;
}

/** A short, stable, non-reversible id of `text` (hex), e.g. for access key ids. */
export function shortHash(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

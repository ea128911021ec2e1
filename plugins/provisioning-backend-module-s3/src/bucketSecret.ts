import { V1Secret } from '@kubernetes/client-node';
import {
  deliverCredentials,
  requestSecret,
  SecretOptions,
  SecretWriter,
} from '@paved/plugin-provisioning-node';
import {
  AccessKeyManager,
  BucketAccess,
  IssuedKey,
} from './accessKeys/AccessKeyManager';

/*
 * What the `s3-bucket` and `s3-bucket-read-access` types share: an access key's
 * details delivered as a Kubernetes Secret.
 */

/** Where applications reach the S3 API, as their Secrets say. */
export interface S3Endpoint {
  endpoint: string;
  region: string;
  forcePathStyle: boolean;
}

/**
 * The keys of a bucket's Secret: the environment variables the AWS SDKs and CLI read
 * (`AWS_ENDPOINT_URL` since 2023), so that `envFrom: [{ secretRef: ... }]` is all an
 * application needs, plus `BUCKET` and `S3_FORCE_PATH_STYLE` for its own code.
 */
export const SECRET_KEYS = [
  'AWS_ENDPOINT_URL',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'BUCKET',
  'S3_FORCE_PATH_STYLE',
] as const;

/** A Secret with an access key to `bucket`, labelled back to the request's entity. */
export function bucketSecret(
  options: SecretOptions & { s3: S3Endpoint; bucket: string; key: IssuedKey },
): V1Secret {
  const { s3, bucket, key, ...secret } = options;
  const data: Record<(typeof SECRET_KEYS)[number], string> = {
    AWS_ENDPOINT_URL: s3.endpoint,
    AWS_REGION: s3.region,
    AWS_DEFAULT_REGION: s3.region,
    AWS_ACCESS_KEY_ID: key.accessKeyId,
    AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
    BUCKET: bucket,
    S3_FORCE_PATH_STYLE: String(s3.forcePathStyle),
  };
  return requestSecret({
    ...secret,
    annotations: { 'paved.dev/bucket': bucket, ...secret.annotations },
    data,
  });
}

/**
 * Issues key `keyName` (a new secret when it exists: the old one is refused from
 * then on) and writes it to its Secret in one step (see `deliverCredentials`);
 * returns the key id and the Secret's uid.
 */
export async function deliverKey(options: {
  keys: AccessKeyManager;
  secrets: SecretWriter;
  keyName: string;
  bucket: string;
  access: BucketAccess;
  namespace: string;
  /** Whether to make the namespace when it is missing (a team's, not an environment's). */
  createNamespace: boolean;
  secret: (key: IssuedKey) => V1Secret;
  signal?: AbortSignal;
}): Promise<{ accessKeyId: string; secretUid: string }> {
  const { keys, signal } = options;
  const { credentials, secretUid } = await deliverCredentials({
    secrets: options.secrets,
    namespace: options.namespace,
    createNamespace: options.createNamespace,
    // issueKey's errors never carry the secret (the AccessKeyManager contract).
    issue: () =>
      keys.issueKey({
        name: options.keyName,
        bucket: options.bucket,
        access: options.access,
        signal,
      }),
    secretValues: key => [key.secretAccessKey],
    secret: options.secret,
  });
  return { accessKeyId: credentials.accessKeyId, secretUid };
}

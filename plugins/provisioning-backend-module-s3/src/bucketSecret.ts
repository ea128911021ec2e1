import { parseEntityRef } from '@backstage/catalog-model';
import { LoggerService } from '@backstage/backend-plugin-api';
import { V1Secret } from '@kubernetes/client-node';
import { MANAGED_BY_LABEL } from '@paved/kubernetes-access';
import { redactError, SecretWriter } from '@paved/plugin-provisioning-node';
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

/** The request a Secret belongs to, as its labels and annotations name it. */
export interface SecretRequest {
  id: string;
  name: string;
  owner: string;
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
export function bucketSecret(options: {
  name: string;
  namespace: string;
  s3: S3Endpoint;
  bucket: string;
  key: IssuedKey;
  request: SecretRequest;
  resourceType: string;
  /** The component that uses it: `backstage.io/kubernetes-id` names it. */
  component?: string;
  labels?: Record<string, string | undefined>;
  annotations?: Record<string, string>;
}): V1Secret {
  const { s3, key, request, component } = options;
  const data: Record<(typeof SECRET_KEYS)[number], string> = {
    AWS_ENDPOINT_URL: s3.endpoint,
    AWS_REGION: s3.region,
    AWS_DEFAULT_REGION: s3.region,
    AWS_ACCESS_KEY_ID: key.accessKeyId,
    AWS_SECRET_ACCESS_KEY: key.secretAccessKey,
    BUCKET: options.bucket,
    S3_FORCE_PATH_STYLE: String(s3.forcePathStyle),
  };
  const labels = Object.fromEntries(
    Object.entries(options.labels ?? {}).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      labels: {
        [MANAGED_BY_LABEL]: 'paved',
        'paved.dev/request-id': request.id,
        'paved.dev/resource-type': options.resourceType,
        ...labels,
      },
      annotations: {
        'paved.dev/entity-ref': `resource:default/${request.name}`,
        'paved.dev/owner': request.owner,
        'paved.dev/bucket': options.bucket,
        ...(component
          ? { 'backstage.io/kubernetes-id': parseEntityRef(component).name }
          : {}),
        ...options.annotations,
      },
    },
    data: Object.fromEntries(
      Object.entries(data).map(([name, value]) => [
        name,
        Buffer.from(value, 'utf8').toString('base64'),
      ]),
    ),
  };
}

/**
 * Issues key `keyName` (a new secret when it exists: the old one is refused from
 * then on) and writes it to its Secret in one step; returns the key id and the
 * Secret's uid. The secret is never checkpointed, output or logged: a retry issues a
 * new one, which converges on the same result. Errors never carry it.
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
  const { keys, secrets, signal } = options;
  if (options.createNamespace) {
    await secrets.ensureNamespace(options.namespace);
  }
  const key = await keys.issueKey({
    name: options.keyName,
    bucket: options.bucket,
    access: options.access,
    signal,
  });
  try {
    const secretUid = await secrets.applySecret(options.secret(key));
    return { accessKeyId: key.accessKeyId, secretUid };
  } catch (error) {
    throw redactError(error, [key.secretAccessKey]);
  }
}

/** Deletes the Secret a request made (by its uid), when it made one, and says what happened. */
export async function deleteKeySecret(options: {
  secrets: SecretWriter;
  name: string;
  namespace: string;
  uid: unknown;
  logger: LoggerService;
}): Promise<void> {
  const { name, namespace, uid, logger } = options;
  if (typeof uid !== 'string' || !uid) {
    return;
  }
  const result = await options.secrets.deleteSecret({ name, namespace, uid });
  logger.info(
    result === 'replaced'
      ? `Secret '${namespace}/${name}' is no longer the one provisioning made; left it alone`
      : `Secret '${namespace}/${name}' is ${result}`,
  );
}

/** Stores the outputs that changed. */
export async function setOutputs(
  ctx: {
    outputs: Record<string, unknown>;
    setOutput(name: string, value: string | number | boolean): Promise<void>;
  },
  outputs: Record<string, string | number | boolean>,
): Promise<void> {
  for (const [name, value] of Object.entries(outputs)) {
    if (ctx.outputs[name] !== value) {
      await ctx.setOutput(name, value);
    }
  }
}

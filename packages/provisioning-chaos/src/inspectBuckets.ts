import { Sha256 } from '@aws-crypto/sha256-js';
import {
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { KubeConfig } from '@kubernetes/client-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash } from 'node:crypto';
import { S3Server } from './config';
import { readSecretData, secretsByRequest } from './inspect';

/** What exists on an S3 gateway (and in Kubernetes) for one bucket request. */
export interface BucketFootprint {
  /** Buckets tagged `paved.dev/request-id: <id>`. */
  buckets: string[];
  /** Whether one of them is tagged as deleted (kept for the retention). */
  deleted: boolean;
  /** The principals (access key ids) that the buckets' policies grant anything. */
  grantees: string[];
  /** Secrets labelled `paved.dev/request-id: <id>`, as `namespace/name`. */
  secrets: string[];
}

const REGION = 'us-east-1';

/** An S3 client; the gateway's root account unless `key` is given. */
export function s3Client(
  server: Pick<S3Server, 'endpoint' | 'accessKeyId' | 'secretAccessKey'>,
): S3Client {
  return new S3Client({
    endpoint: server.endpoint,
    region: REGION,
    forcePathStyle: true,
    credentials: {
      accessKeyId: server.accessKeyId,
      secretAccessKey: server.secretAccessKey,
    },
  });
}

const codeOf = (error: unknown) => (error as { name?: string }).name;

/**
 * A call of versitygw's admin API (`PATCH /<action>`), signed as the root account the
 * way `versitygw admin` signs; written here rather than taken from the module under
 * test, so that the checks do not share its bugs. Resolves to the response body.
 */
async function versitygwAdmin(
  server: S3Server,
  action: 'list-users' | 'delete-user',
  query: Record<string, string> = {},
): Promise<string> {
  const url = new URL(`${server.adminEndpoint}/${action}`);
  for (const [key, value] of Object.entries(query)) {
    url.searchParams.set(key, value);
  }
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: server.accessKeyId,
      secretAccessKey: server.secretAccessKey,
    },
    region: REGION,
    service: 's3',
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: 'PATCH',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query,
    headers: {
      host: url.host,
      'x-amz-content-sha256': createHash('sha256').update('').digest('hex'),
    },
  });
  // fetch sets Host itself (to the same value).
  const { host: _host, ...headers } = signed.headers;
  const response = await fetch(url, { method: 'PATCH', headers });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${action}: HTTP ${response.status} ${text.slice(0, 200)}`);
  }
  return text;
}

/** The access key ids of every account of the gateway (its root account's aside). */
export async function versitygwAccounts(server: S3Server): Promise<string[]> {
  const xml = await versitygwAdmin(server, 'list-users');
  return [...xml.matchAll(/<Access>([^<]*)<\/Access>/g)]
    .map(m => m[1])
    .filter(key => key !== server.accessKeyId);
}

/** Deletes an account of the gateway (test clean-up). */
export async function deleteVersitygwAccount(
  server: S3Server,
  accessKeyId: string,
): Promise<void> {
  await versitygwAdmin(server, 'delete-user', { access: accessKeyId });
}

/** Deletes the buckets whose names start with `prefix`, objects and all (test clean-up). */
export async function removeBuckets(
  server: S3Server,
  prefix: string,
): Promise<void> {
  const s3 = s3Client(server);
  try {
    const { Buckets } = await s3.send(new ListBucketsCommand({}));
    for (const { Name: bucket } of Buckets ?? []) {
      if (!bucket?.startsWith(prefix)) {
        continue;
      }
      const { Contents } = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket }),
      );
      for (const { Key } of Contents ?? []) {
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
      }
      await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    }
  } finally {
    s3.destroy();
  }
}

/** The principals a bucket policy's statements name. */
function granteesOf(policy: string | undefined): string[] {
  if (!policy) {
    return [];
  }
  const statements = (
    JSON.parse(policy) as { Statement?: Array<{ Principal?: unknown }> }
  ).Statement;
  return (statements ?? []).flatMap(statement => {
    const principal = statement.Principal as { AWS?: unknown } | string;
    const aws = typeof principal === 'object' ? principal?.AWS : principal;
    return (Array.isArray(aws) ? aws : [aws]).map(String);
  });
}

/**
 * Buckets whose names start with `prefix`, with the request they are tagged with,
 * their deletion tag and their policy's principals, and Secrets, per request id.
 */
export async function bucketFootprints(
  server: S3Server,
  admin: KubeConfig,
  prefix: string,
  requestIds: string[],
): Promise<Map<string, BucketFootprint>> {
  const result = new Map<string, BucketFootprint>(
    requestIds.map(id => [
      id,
      { buckets: [], deleted: false, grantees: [], secrets: [] },
    ]),
  );
  const s3 = s3Client(server);
  try {
    const { Buckets } = await s3.send(new ListBucketsCommand({}));
    const ours = (Buckets ?? [])
      .map(b => b.Name ?? '')
      .filter(name => name.startsWith(prefix));
    for (const bucket of ours) {
      const { TagSet } = await s3
        .send(new GetBucketTaggingCommand({ Bucket: bucket }))
        .catch(error => {
          if (codeOf(error) === 'NoSuchTagSet') {
            return { TagSet: [] };
          }
          throw error;
        });
      const tags = new Map((TagSet ?? []).map(t => [t.Key, t.Value]));
      const entry = result.get(tags.get('paved.dev/request-id') ?? '');
      if (!entry) {
        continue;
      }
      const { Policy } = await s3
        .send(new GetBucketPolicyCommand({ Bucket: bucket }))
        .catch(error => {
          if (codeOf(error) === 'NoSuchBucketPolicy') {
            return { Policy: undefined };
          }
          throw error;
        });
      entry.buckets.push(bucket);
      entry.deleted ||= tags.has('paved.dev/deleted-at');
      entry.grantees.push(...granteesOf(Policy));
    }
  } finally {
    s3.destroy();
  }
  for (const [id, names] of await secretsByRequest(admin, requestIds)) {
    result.get(id)!.secrets.push(...names);
  }
  return result;
}

/**
 * With the keys of a bucket request's Secret (endpoint, region and bucket as it
 * says), puts an object and gets it back; returns what came back, and the Secret's
 * access key id.
 */
export async function putAndGetWithSecret(
  admin: KubeConfig,
  secret: { namespace: string; name: string },
): Promise<{ text: string; accessKeyId: string }> {
  const data = await readSecretData(admin, secret.namespace, secret.name);
  const s3 = new S3Client({
    endpoint: data.AWS_ENDPOINT_URL,
    region: data.AWS_REGION,
    forcePathStyle: data.S3_FORCE_PATH_STYLE === 'true',
    credentials: {
      accessKeyId: data.AWS_ACCESS_KEY_ID,
      secretAccessKey: data.AWS_SECRET_ACCESS_KEY,
    },
  });
  try {
    const body = `hello ${secret.name}`;
    await s3.send(
      new PutObjectCommand({
        Bucket: data.BUCKET,
        Key: 'chaos.txt',
        Body: body,
      }),
    );
    const got = await s3.send(
      new GetObjectCommand({ Bucket: data.BUCKET, Key: 'chaos.txt' }),
    );
    return {
      text: (await got.Body?.transformToString('utf8')) ?? '',
      accessKeyId: data.AWS_ACCESS_KEY_ID,
    };
  } finally {
    s3.destroy();
  }
}

import { S3Client } from '@aws-sdk/client-s3';

/** Where an S3 API is and who calls it. */
export interface S3Access {
  endpoint: string;
  region: string;
  forcePathStyle: boolean;
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * An S3 client for `access`. Retries are the SDK's (3 attempts); the engine retries
 * whole steps beyond that.
 */
export function createS3Client(access: S3Access): S3Client {
  return new S3Client({
    endpoint: access.endpoint,
    region: access.region,
    forcePathStyle: access.forcePathStyle,
    credentials: {
      accessKeyId: access.accessKeyId,
      secretAccessKey: access.secretAccessKey,
    },
  });
}

/** The S3 error code of a failed call (`NoSuchBucket`, ...), if it has one. */
export function s3ErrorCode(error: unknown): string | undefined {
  const e = error as { name?: unknown; Code?: unknown } | undefined;
  if (typeof e?.Code === 'string') {
    return e.Code;
  }
  return typeof e?.name === 'string' ? e.name : undefined;
}

/** The HTTP status of a failed S3 call, if it has one. */
export function s3Status(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)
    ?.$metadata?.httpStatusCode;
}

import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  ObjectIdentifier,
  S3Client,
} from '@aws-sdk/client-s3';

/*
 * What is in a bucket: counting it for the status, and deleting it (the empty-bucket
 * action, the purge of deleted buckets). Every loop pages through S3's listings
 * (1000 keys a page) and stops when `signal` aborts.
 */

/** Objects counted by {@link countObjects}. */
export interface ObjectCount {
  objects: number;
  bytes: number;
  /** True when there were more objects than the pages counted. */
  truncated: boolean;
}

/**
 * Counts the current objects of a bucket (not older versions), at most `maxPages`
 * listings of 1000, so that a status poll stays quick on a big bucket.
 */
export async function countObjects(
  s3: S3Client,
  bucket: string,
  options: { maxPages: number; signal?: AbortSignal },
): Promise<ObjectCount> {
  let objects = 0;
  let bytes = 0;
  let token: string | undefined;
  for (let page = 0; page < options.maxPages; page++) {
    options.signal?.throwIfAborted();
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }),
      { abortSignal: options.signal },
    );
    for (const object of listed.Contents ?? []) {
      objects += 1;
      bytes += object.Size ?? 0;
    }
    token = listed.IsTruncated ? listed.NextContinuationToken : undefined;
    if (!token) {
      return { objects, bytes, truncated: false };
    }
  }
  return { objects, bytes, truncated: true };
}

/** Deletes `objects` (at most 1000) in one call; any it could not delete is an error. */
export async function deleteObjectKeys(
  s3: S3Client,
  bucket: string,
  objects: ObjectIdentifier[],
  signal?: AbortSignal,
): Promise<number> {
  if (objects.length === 0) {
    return 0;
  }
  const result = await s3.send(
    new DeleteObjectsCommand({
      Bucket: bucket,
      Delete: { Objects: objects, Quiet: true },
    }),
    { abortSignal: signal },
  );
  const failed = result.Errors ?? [];
  if (failed.length > 0) {
    throw new Error(
      `Could not delete ${failed.length} object(s) of bucket '${bucket}', e.g. '${failed[0].Key}': ${failed[0].Code} ${failed[0].Message}`,
    );
  }
  return objects.length;
}

/**
 * Deletes every object of a bucket: current objects, older versions and delete
 * markers when it has (had) versioning, and unfinished multipart uploads. Returns how
 * many objects and versions it deleted. Running it again after an interruption
 * carries on where it stopped.
 */
export async function deleteAllObjects(
  s3: S3Client,
  bucket: string,
  signal?: AbortSignal,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    signal?.throwIfAborted();
    // Always the first page: what it listed is gone after the delete.
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }), {
      abortSignal: signal,
    });
    const keys = (listed.Contents ?? []).map(o => ({ Key: o.Key! }));
    deleted += await deleteObjectKeys(s3, bucket, keys, signal);
    if (!listed.IsTruncated || keys.length === 0) {
      break;
    }
  }
  const { Status } = await s3.send(
    new GetBucketVersioningCommand({ Bucket: bucket }),
    { abortSignal: signal },
  );
  if (Status) {
    for (;;) {
      signal?.throwIfAborted();
      const listed = await s3.send(
        new ListObjectVersionsCommand({ Bucket: bucket }),
        { abortSignal: signal },
      );
      const versions = [
        ...(listed.Versions ?? []),
        ...(listed.DeleteMarkers ?? []),
      ].map(v => ({ Key: v.Key!, VersionId: v.VersionId }));
      deleted += await deleteObjectKeys(s3, bucket, versions, signal);
      if (!listed.IsTruncated || versions.length === 0) {
        break;
      }
    }
  }
  for (;;) {
    signal?.throwIfAborted();
    const { Uploads, IsTruncated } = await s3.send(
      new ListMultipartUploadsCommand({ Bucket: bucket }),
      { abortSignal: signal },
    );
    for (const upload of Uploads ?? []) {
      await s3.send(
        new AbortMultipartUploadCommand({
          Bucket: bucket,
          Key: upload.Key,
          UploadId: upload.UploadId,
        }),
        { abortSignal: signal },
      );
    }
    if (!IsTruncated || !Uploads?.length) {
      break;
    }
  }
  return deleted;
}

import {
  ResourceStatus,
  ResourceStatusSection,
} from '@paved/plugin-provisioning-common';
import { StatusContext } from '@paved/plugin-provisioning-node';
import { countObjects } from './bucketContents';
import { S3Buckets } from './S3Buckets';

/** Listings of 1000 the status counts at most: 10 000 objects, a few seconds. */
export const STATUS_MAX_PAGES = 10;

/** The type id of read access grants, whose `bucket` parameter names the bucket request. */
export const READ_ACCESS_TYPE = 's3-bucket-read-access';

const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** `1536` as `1.5 KiB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0
    ? `${bytes} bytes`
    : `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

/**
 * What a bucket holds now (its current objects, counted up to
 * {@link STATUS_MAX_PAGES} listings) and who else may read it.
 */
export async function bucketStatus(
  buckets: S3Buckets,
  bucket: string,
  ctx: StatusContext,
): Promise<ResourceStatus> {
  const count = await countObjects(buckets.s3, bucket, {
    maxPages: STATUS_MAX_PAGES,
    signal: ctx.signal,
  });
  const atLeast = count.truncated ? 'at least ' : '';
  const sections: ResourceStatusSection[] = [
    {
      title: 'Contents',
      items: [
        { label: 'Bucket', value: bucket },
        { label: 'Objects', value: `${atLeast}${count.objects}` },
        { label: 'Size', value: `${atLeast}${formatBytes(count.bytes)}` },
      ],
      ...(count.truncated
        ? {
            message: `Counted the first ${count.objects} objects only; the bucket has more.`,
          }
        : {}),
    },
  ];
  const readers = await ctx.requests.listActive(READ_ACCESS_TYPE, {
    bucket: ctx.request.name,
  });
  if (readers.length > 0) {
    sections.push({
      title: 'Read access',
      table: {
        columns: ['Name', 'Owner', 'State'],
        rows: readers
          .sort((a, b) => a.name.localeCompare(b.name))
          .map(r => [r.name, r.owner, r.state]),
      },
    });
  }
  return { sections };
}

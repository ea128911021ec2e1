/*
 * Making a request's bucket on the test run's real versitygw: converging when run
 * again (after a crash, too), and never adopting a bucket that is not the request's.
 */
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { s3Harness } from './__testUtils__/harness';
import { TAGS } from './S3Buckets';

jest.setTimeout(60_000);

const h = s3Harness();
const { buckets } = h;

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: Error) => ({ name: error.name, message: error.message }),
  );

describe('a request bucket', () => {
  afterAll(() => h.cleanup());

  it('is made once, tagged with its request, and found again', async () => {
    const bucket = `${h.RUN}-once`;
    expect(await buckets.ensure(bucket, 'request-1')).toBe('created');
    expect(await buckets.ensure(bucket, 'request-1')).toBe('exists');
    expect(await buckets.tags(bucket)).toEqual({
      [TAGS.requestId]: 'request-1',
    });
    expect(await h.runBuckets()).toEqual([bucket]);
  });

  it('is taken over from an attempt that crashed between making and tagging it', async () => {
    const bucket = `${h.RUN}-crashed`;
    await h.root.send(new CreateBucketCommand({ Bucket: bucket }));
    expect(await buckets.ensure(bucket, 'request-2')).toBe('exists');
    expect(await buckets.tags(bucket)).toEqual({
      [TAGS.requestId]: 'request-2',
    });
  });

  it('fails for good, naming the name, when the bucket is not the request’s', async () => {
    // Another request's.
    await buckets.ensure(`${h.RUN}-other`, 'request-3');
    expect(
      await failure(buckets.ensure(`${h.RUN}-other`, 'request-4')),
    ).toEqual({
      name: 'NonRetryableError',
      message: `name: bucket '${h.RUN}-other' is taken on the S3 server: another request of the portal has it; request it under another name`,
    });

    // Made by hand, with objects in it.
    const byHand = `${h.RUN}-by-hand`;
    await h.root.send(new CreateBucketCommand({ Bucket: byHand }));
    expect(await h.put(h.root, byHand, 'precious.txt')).toBe('ok');
    expect(await failure(buckets.ensure(byHand, 'request-5'))).toEqual({
      name: 'NonRetryableError',
      message: `name: bucket '${byHand}' is taken on the S3 server: a bucket of that name was made outside the portal; request it under another name`,
    });
    expect(await buckets.tags(byHand)).toEqual({});

    // A deleted request's, kept for the retention.
    const kept = `${h.RUN}-kept`;
    await buckets.ensure(kept, 'request-6');
    await buckets.setTags(kept, {
      [TAGS.requestId]: 'request-6',
      [TAGS.deletedAt]: '2026-01-01T00:00:00.000Z',
    });
    expect(await failure(buckets.ensure(kept, 'request-7'))).toEqual({
      name: 'NonRetryableError',
      message: `name: bucket '${kept}' is taken on the S3 server: a deleted request's bucket of that name is kept until its retention ends (deleted 2026-01-01T00:00:00.000Z); request it under another name`,
    });
  });

  it('turns versioning on, and suspends it, only when asked to change', async () => {
    const bucket = `${h.RUN}-versions`;
    await buckets.ensure(bucket, 'request-8');
    expect(await buckets.setVersioning(bucket, false)).toBe('unchanged');
    expect(await buckets.setVersioning(bucket, true)).toBe('enabled');
    expect(await buckets.setVersioning(bucket, true)).toBe('unchanged');
    expect(await buckets.setVersioning(bucket, false)).toBe('suspended');
  });
});

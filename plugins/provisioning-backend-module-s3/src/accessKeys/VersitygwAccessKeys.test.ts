/*
 * Access keys on the test run's real versitygw: what a key may and may not do,
 * rotation, deletion and concurrent grants on one bucket, with the AWS SDK as an
 * application uses it.
 */
import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutBucketTaggingCommand,
} from '@aws-sdk/client-s3';
import { s3Harness } from '../__testUtils__/harness';
import { BucketPolicies } from './BucketPolicies';
import { VersitygwAccessKeys } from './VersitygwAccessKeys';

jest.setTimeout(60_000);

const h = s3Harness();
const { keys, buckets } = h;

describe('access keys on versitygw', () => {
  const mine = `${h.RUN}-mine`;
  const theirs = `${h.RUN}-theirs`;

  beforeAll(async () => {
    await buckets.ensure(mine, 'request-mine');
    await buckets.ensure(theirs, 'request-theirs');
    await h.write(h.root, theirs, 'plans.txt');
  });

  afterAll(() => h.cleanup());

  it('makes a key that reads and writes its own bucket and nothing else', async () => {
    const key = await keys.issueKey({
      name: `owner:${h.RUN}-1`,
      bucket: mine,
      access: 'read-write',
    });
    expect(key.accessKeyId).toBe(
      VersitygwAccessKeys.accessKeyIdOf(`owner:${h.RUN}-1`),
    );
    expect(key.accessKeyId).toMatch(/^PVD[0-9A-F]{17}$/);
    expect(key.secretAccessKey).toHaveLength(43);
    const app = h.clientOf(key);

    expect(await h.put(app, mine, 'a/b.txt', 'hello')).toBe('ok');
    expect(await h.read(app, mine, 'a/b.txt')).toBe('hello');
    expect(
      (await app.send(new ListObjectsV2Command({ Bucket: mine }))).KeyCount,
    ).toBe(1);
    expect(
      await h.outcome(
        app.send(new DeleteObjectCommand({ Bucket: mine, Key: 'a/b.txt' })),
      ),
    ).toBe('ok');

    // Another bucket: neither read nor written.
    expect(await h.get(app, theirs, 'plans.txt')).toBe('AccessDenied');
    expect(await h.put(app, theirs, 'graffiti.txt')).toBe('AccessDenied');
    // What stays the platform's: buckets, their policy and tags.
    expect(
      await h.outcome(
        app.send(new CreateBucketCommand({ Bucket: `${h.RUN}-sneaky` })),
      ),
    ).toBe('AccessDenied');
    expect(
      await h.outcome(
        app.send(new DeleteBucketPolicyCommand({ Bucket: mine })),
      ),
    ).toBe('AccessDenied');
    expect(
      await h.outcome(
        app.send(
          new PutBucketTaggingCommand({
            Bucket: mine,
            Tagging: { TagSet: [] },
          }),
        ),
      ),
    ).toBe('AccessDenied');
    expect(await h.runBuckets()).toEqual([mine, theirs]);
  });

  it('rotates a key: the same id with a new secret, the old one refused at once', async () => {
    const name = `owner:${h.RUN}-2`;
    const first = await keys.issueKey({
      name,
      bucket: mine,
      access: 'read-write',
    });
    const before = h.clientOf(first);
    expect(await h.put(before, mine, 'r.txt')).toBe('ok');

    const second = await keys.issueKey({
      name,
      bucket: mine,
      access: 'read-write',
    });
    expect(second.accessKeyId).toBe(first.accessKeyId);
    expect(second.secretAccessKey).not.toBe(first.secretAccessKey);
    expect(await h.get(before, mine, 'r.txt')).toBe('SignatureDoesNotMatch');
    expect(await h.get(h.clientOf(second), mine, 'r.txt')).toBe('ok');
  });

  it('makes a read-only key that gets and lists but never writes or deletes', async () => {
    const key = await keys.issueKey({
      name: `reader:${h.RUN}-3`,
      bucket: theirs,
      access: 'read-only',
    });
    const reader = h.clientOf(key);
    expect(await h.read(reader, theirs, 'plans.txt')).toBe('plans.txt');
    expect(
      (await reader.send(new ListObjectsV2Command({ Bucket: theirs })))
        .KeyCount,
    ).toBe(1);
    expect(await h.put(reader, theirs, 'plans.txt', 'changed')).toBe(
      'AccessDenied',
    );
    expect(
      await h.outcome(
        reader.send(
          new DeleteObjectCommand({ Bucket: theirs, Key: 'plans.txt' }),
        ),
      ),
    ).toBe('AccessDenied');
    expect(await h.get(reader, mine, 'r.txt')).toBe('AccessDenied');
    expect(await h.read(h.root, theirs, 'plans.txt')).toBe('plans.txt');
  });

  it('deletes a key and its grant, and does it again without complaint', async () => {
    const name = `reader:${h.RUN}-4`;
    const key = await keys.issueKey({
      name,
      bucket: theirs,
      access: 'read-only',
    });
    const reader = h.clientOf(key);
    expect(await h.get(reader, theirs, 'plans.txt')).toBe('ok');
    await keys.deleteKey({ name, bucket: theirs });
    expect(await h.get(reader, theirs, 'plans.txt')).toBe('InvalidAccessKeyId');
    const policy = await new BucketPolicies(h.root).read(theirs);
    expect(JSON.stringify(policy ?? {})).not.toContain(key.accessKeyId);
    await keys.deleteKey({ name, bucket: theirs });
    await keys.deleteKey({ name, bucket: `${h.RUN}-never-made` });
    expect(await h.admin.listUsers()).not.toContain(key.accessKeyId);
  });

  it('keeps every grant when several are made on one bucket at once', async () => {
    const names = [1, 2, 3, 4, 5].map(i => `reader:${h.RUN}-many-${i}`);
    const issued = await Promise.all(
      names.map(name =>
        keys.issueKey({ name, bucket: mine, access: 'read-only' }),
      ),
    );
    for (const key of issued) {
      expect([
        key.accessKeyId,
        await h.get(h.clientOf(key), mine, 'r.txt'),
      ]).toEqual([key.accessKeyId, 'ok']);
    }
    await Promise.all(
      names.map(name => keys.deleteKey({ name, bucket: mine })),
    );
    const policy = await new BucketPolicies(h.root).read(mine);
    for (const key of issued) {
      expect(JSON.stringify(policy ?? {})).not.toContain(key.accessKeyId);
    }
  });

  it('puts back a grant removed by hand, and takes every grant away at once', async () => {
    const name = `owner:${h.RUN}-5`;
    const key = await keys.issueKey({
      name,
      bucket: mine,
      access: 'read-write',
    });
    const app = h.clientOf(key);
    await h.root.send(new DeleteBucketPolicyCommand({ Bucket: mine }));
    expect(await h.get(app, mine, 'r.txt')).toBe('AccessDenied');
    expect(
      await keys.ensureGrant({ name, bucket: mine, access: 'read-write' }),
    ).toBe(true);
    expect(await h.get(app, mine, 'r.txt')).toBe('ok');
    expect(
      await keys.ensureGrant({ name, bucket: mine, access: 'read-write' }),
    ).toBe(false);

    await keys.revokeAll({ bucket: mine });
    expect(await h.get(app, mine, 'r.txt')).toBe('AccessDenied');
    await keys.revokeAll({ bucket: mine });
  });
});

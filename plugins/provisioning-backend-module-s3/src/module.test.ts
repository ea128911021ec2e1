/*
 * The s3-bucket resource type end to end: the real provisioning plugin (HTTP API,
 * worker, its tables on PostgreSQL), this module, the test run's real versitygw and
 * the real Kubernetes API server, written to as the portal's RBAC-limited identity.
 * Needs what ./paved test starts; fails (never skips) without it.
 */
import {
  GetBucketVersioningCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import { teamNamespace } from '@paved/plugin-provisioning-common';
// The real engine the module plugs into, in tests only.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import provisioningPlugin from '@paved/plugin-provisioning-backend';
import {
  expectDocumentedParameters,
  expectRequestSecret,
  pavedPolicyPermissions,
  provisioningApi,
  provisioningTestBackend,
} from '@paved/test-utils';
import { s3Harness } from './__testUtils__/harness';
import { SECRET_KEYS } from './bucketSecret';
import provisioningModuleS3 from './index';
import { EXPIRE_TASK_ID, PURGE_TASK_ID } from './module';
import { purgeDeletedBuckets } from './purge';
import { TAGS } from './S3Buckets';

jest.setTimeout(90_000);

const RETENTION_MS = 3_000;
const h = s3Harness({ deletionRetentionMs: RETENTION_MS });
const { RUN } = h;
const OWNER = `group:default/${RUN}-team`;
const OTHER_OWNER = `group:default/${RUN}-other-team`;
const NAMESPACE = teamNamespace(OWNER);
const OTHER_NAMESPACE = teamNamespace(OTHER_OWNER);
const BOB = 'user:default/bob';
const DAVE = 'user:default/dave';
const MEMBERSHIPS = { [BOB]: [OWNER], [DAVE]: [OTHER_OWNER] };

describe('the s3-bucket resource type on a real S3 server and Kubernetes API', () => {
  const engine = provisioningTestBackend();
  const { logs, scheduler } = engine;
  const secretKeys = new Set<string>();

  beforeAll(async () => {
    h.namespaces.add(NAMESPACE);
    h.namespaces.add(OTHER_NAMESPACE);
    await engine.start({
      features: [
        provisioningPlugin,
        provisioningModuleS3,
        pavedPolicyPermissions(MEMBERSHIPS),
      ],
      config: { provisioning: { s3: h.configData } },
    });
  });

  afterAll(async () => {
    await h.cleanup();
  });

  const { api, waitForState, waitForIdle, listedType, requestsOf } =
    provisioningApi(engine.server, BOB);
  const {
    create,
    ids: requestIds,
    expectRefused,
  } = requestsOf('s3-bucket', OWNER);
  const asDave = provisioningApi(engine.server, DAVE);

  /** The Secret as an app would mount it, and an S3 client made from it. */
  async function appOf(secretName: string, namespace = NAMESPACE) {
    const { secret, data } = await h.readSecret(secretName, namespace);
    secretKeys.add(data.AWS_SECRET_ACCESS_KEY);
    const client = h.clientOf({
      accessKeyId: data.AWS_ACCESS_KEY_ID,
      secretAccessKey: data.AWS_SECRET_ACCESS_KEY,
    });
    return { secret, data, client };
  }

  const action = (id: string, actionId: string, input: object = {}) =>
    api('post', `/requests/${id}/actions/${actionId}`).send({ input });

  const IMAGES = `${RUN}-images`;
  const IMAGES_BUCKET = `${RUN}-${IMAGES}`;
  let images: { id: string; outputs: Record<string, unknown> };

  it('offers a form with a title and a description on every field', async () => {
    const type = await listedType('s3-bucket');
    expect(type).toMatchObject({
      title: 'S3 bucket',
      catalogType: 'bucket',
      parameters: {
        properties: {
          versioning: { type: 'boolean', default: false },
          expireAfterDays: { type: 'integer', minimum: 1, maximum: 3650 },
          environmentName: { title: 'Environment (namespace)' },
        },
      },
    });
    expectDocumentedParameters(type);
    expect(type.actions.map((a: { id: string }) => a.id)).toEqual([
      'rotate-keys',
      'empty-bucket',
    ]);
    const access = await listedType('s3-bucket-read-access');
    expect(access).toMatchObject({
      title: 'Read-only access to an S3 bucket',
      catalogType: 'bucket-access',
      parameters: { required: ['bucket', 'component'] },
    });
    expectDocumentedParameters(access);
    const tasks = await scheduler.getScheduledTasks();
    for (const id of [PURGE_TASK_ID, EXPIRE_TASK_ID]) {
      expect(tasks).toContainEqual(
        expect.objectContaining({ id, scope: 'global' }),
      );
    }
  });

  it('refuses hostile and invalid names and parameters with a 400 naming the field, making nothing', async () => {
    const cases: Array<[string, object, RegExp]> = [
      [`x"; rm -rf /`, {}, /^Invalid request: name: /],
      [`${RUN}-a/b`, {}, /^Invalid request: name: /],
      [`${RUN}-a%2Fb`, {}, /^Invalid request: name: /],
      [`${RUN}-..`, {}, /^Invalid request: name: /],
      ['a'.repeat(300), {}, /^Invalid request: name: must be at most 63/],
      [`${RUN}-bücket`, {}, /^Invalid request: name: /],
      [`${RUN}-Images`, {}, /^Invalid request: name: /],
      [
        'xn--bcher-kva',
        {},
        /^Invalid request: name: bucket 'xn--bcher-kva' starts with 'xn--', which S3 reserves$/,
      ],
      ['ab', {}, /^Invalid request: name: bucket 'ab' must have 3 to 63/],
      [
        `${'b'.repeat(60)}`,
        {},
        /^Invalid request: name: bucket '.*' must have 3 to 63 characters \(the name after the prefix '.*'; at most 55 characters\)$/,
      ],
      [
        `${RUN}-x-s3alias`,
        {},
        /^Invalid request: name: bucket '.*' ends with '-s3alias', which S3 reserves/,
      ],
      [
        `${RUN}-bad`,
        { versioning: 'yes' },
        /^Invalid parameters: parameters\.versioning: must be boolean$/,
      ],
      [
        `${RUN}-bad`,
        { expireAfterDays: 0 },
        /^Invalid parameters: parameters\.expireAfterDays: must be >= 1$/,
      ],
      [
        `${RUN}-bad`,
        { expireAfterDays: 1, expirePrefix: 'has space/' },
        /^Invalid parameters: parameters\.expirePrefix: must match pattern/,
      ],
      [
        `${RUN}-bad`,
        { secretAccessKey: 'mine' },
        /^Invalid parameters: parameters\.secretAccessKey: is not allowed$/,
      ],
      [
        `${RUN}-bad`,
        { component: 'checkout service' },
        /^Invalid parameters: parameters\.component: must match pattern/,
      ],
    ];
    await expectRefused(cases);
    expect(await h.runBuckets()).toEqual([]);
  });

  it('provisions a bucket and delivers a key that may use only it, in a Secret', async () => {
    const started = Date.now();
    const created = await create(IMAGES, {
      component: 'component:default/checkout-service',
    });
    expect(created.state).toBe('provisioning');
    images = await waitForState(created.id, 'ready');
    const tookMs = Date.now() - started;
    // A rough figure for the notes, in the run's log.
    logs.logger.info(`One bucket request took ${tookMs} ms from POST to ready`);
    expect(images.outputs).toEqual({
      bucket: IMAGES_BUCKET,
      endpoint: h.server.endpoint,
      region: h.server.region,
      accessKeyId: expect.stringMatching(/^PVD[0-9A-F]{17}$/),
      secretName: `${IMAGES}-s3`,
      secretNamespace: NAMESPACE,
      secretUid: expect.any(String),
      versioning: 'off',
      expiry: 'none',
    });

    const { secret, data, client } = await appOf(`${IMAGES}-s3`);
    expectRequestSecret(secret, {
      uid: images.outputs.secretUid,
      requestId: created.id,
      resourceType: 's3-bucket',
      name: IMAGES,
      owner: OWNER,
      component: 'checkout-service',
      annotations: {
        'paved.dev/bucket': IMAGES_BUCKET,
      },
    });
    expect(Object.keys(data).sort()).toEqual([...SECRET_KEYS].sort());
    expect(data).toMatchObject({
      AWS_ENDPOINT_URL: h.server.endpoint,
      AWS_REGION: h.server.region,
      AWS_DEFAULT_REGION: h.server.region,
      AWS_ACCESS_KEY_ID: images.outputs.accessKeyId,
      BUCKET: IMAGES_BUCKET,
      S3_FORCE_PATH_STYLE: 'true',
    });
    expect(data.AWS_SECRET_ACCESS_KEY).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // The app puts and gets with the Secret's key, in its bucket only.
    expect(await h.put(client, IMAGES_BUCKET, 'logo.png', 'png!')).toBe('ok');
    expect(await h.read(client, IMAGES_BUCKET, 'logo.png')).toBe('png!');
    const other = await create(`${RUN}-other`);
    requestIds.add(other.id);
    const otherBucket = (await waitForState(other.id, 'ready')).outputs.bucket;
    expect(await h.put(h.root, otherBucket, 'theirs.txt')).toBe('ok');
    expect(await h.get(client, otherBucket, 'theirs.txt')).toBe('AccessDenied');
    expect(await h.put(client, otherBucket, 'mine.txt')).toBe('AccessDenied');

    expect(
      (
        await h.root.send(
          new GetBucketVersioningCommand({ Bucket: IMAGES_BUCKET }),
        )
      ).Status,
    ).toBeUndefined();
    expect(await h.buckets.tags(IMAGES_BUCKET)).toEqual({
      [TAGS.requestId]: created.id,
    });

    // Live status: what is in it.
    const status = await api('get', `/requests/${created.id}/status`);
    expect(status.status).toBe(200);
    expect(status.body.sections[0]).toEqual({
      title: 'Contents',
      items: [
        { label: 'Bucket', value: IMAGES_BUCKET },
        { label: 'Objects', value: '1' },
        { label: 'Size', value: '4 bytes' },
      ],
    });
  });

  it('rotates the key: the old one is refused, the new one is in the Secret', async () => {
    const before = await appOf(`${IMAGES}-s3`);
    const queued = await action(images.id, 'rotate-keys');
    expect(queued.status).toBe(202);
    const done = await waitForState(images.id, 'ready', { idle: true });
    expect(done.outputs.keysRotatedAt).toEqual(expect.any(String));
    const after = await appOf(`${IMAGES}-s3`);
    expect(after.data.AWS_ACCESS_KEY_ID).toBe(before.data.AWS_ACCESS_KEY_ID);
    expect(after.data.AWS_SECRET_ACCESS_KEY).not.toBe(
      before.data.AWS_SECRET_ACCESS_KEY,
    );
    expect(await h.get(before.client, IMAGES_BUCKET, 'logo.png')).toBe(
      'SignatureDoesNotMatch',
    );
    expect(await h.read(after.client, IMAGES_BUCKET, 'logo.png')).toBe('png!');
  });

  it('gives another team read-only access once the bucket owners approve it', async () => {
    const body = {
      type: 's3-bucket-read-access',
      name: `${RUN}-reports`,
      owner: OTHER_OWNER,
      parameters: {
        bucket: IMAGES,
        component: 'component:default/reporting-service',
      },
    };
    const asked = await asDave.api('post', '/requests').send(body);
    expect(asked.body.error?.message).toBeUndefined();
    requestIds.add(asked.body.id);
    expect(asked.body.state).toBe('pending-approval');
    expect(asked.body.approval).toMatchObject({
      group: OWNER,
      reason: `resource type 's3-bucket-read-access': read access to bucket ${IMAGES} of ${OWNER} needs its owner's approval`,
    });
    // The reader may not approve its own access; the owners may.
    expect(
      (
        await asDave
          .api('post', `/requests/${asked.body.id}/approve`)
          .send({ comment: 'please' })
      ).status,
    ).toBe(403);
    const approved = await api(
      'post',
      `/requests/${asked.body.id}/approve`,
    ).send({ comment: 'for the monthly report' });
    expect(approved.status).toBe(200);
    const grant = await waitForState(asked.body.id, 'ready');
    expect(grant.outputs).toMatchObject({
      bucket: IMAGES_BUCKET,
      secretName: `${RUN}-reports-s3-ro`,
      secretNamespace: OTHER_NAMESPACE,
    });

    const reader = await appOf(`${RUN}-reports-s3-ro`, OTHER_NAMESPACE);
    expect(reader.secret.metadata?.annotations).toMatchObject({
      'paved.dev/bucket-ref': `resource:default/${IMAGES}`,
      'backstage.io/kubernetes-id': 'reporting-service',
    });
    expect(reader.data.BUCKET).toBe(IMAGES_BUCKET);
    expect(await h.read(reader.client, IMAGES_BUCKET, 'logo.png')).toBe('png!');
    expect(await h.put(reader.client, IMAGES_BUCKET, 'logo.png', 'x')).toBe(
      'AccessDenied',
    );

    // A bucket that does not exist: a 400 naming the field; nothing stored.
    const missing = await asDave.api('post', '/requests').send({
      ...body,
      name: `${RUN}-lost`,
      parameters: { ...body.parameters, bucket: `${RUN}-nowhere` },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/parameters\.bucket/);

    // The bucket's page lists who else reads it.
    const status = await api('get', `/requests/${images.id}/status`);
    expect(status.body.sections[1]).toEqual({
      title: 'Read access',
      table: {
        columns: ['Name', 'Owner', 'State'],
        rows: [[`${RUN}-reports`, OTHER_OWNER, 'ready']],
      },
    });
  });

  it('empties the bucket only when its name is typed to confirm', async () => {
    expect(await h.put(h.root, IMAGES_BUCKET, 'a/1.txt')).toBe('ok');
    expect(await h.put(h.root, IMAGES_BUCKET, 'a/2.txt')).toBe('ok');

    for (const input of [{ bucket: IMAGES }, { bucket: `${IMAGES_BUCKET} ` }]) {
      const refused = await action(images.id, 'empty-bucket', input);
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toBe(
        `Invalid input: input.bucket: type the bucket's name, '${IMAGES_BUCKET}', to confirm that every object in it is deleted`,
      );
    }
    const missing = await action(images.id, 'empty-bucket', {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/input\.bucket/);
    expect((await api('get', `/requests/${images.id}`)).body.state).toBe(
      'ready',
    );
    expect(
      (await h.root.send(new ListObjectsV2Command({ Bucket: IMAGES_BUCKET })))
        .KeyCount,
    ).toBe(3);

    const queued = await action(images.id, 'empty-bucket', {
      bucket: IMAGES_BUCKET,
    });
    expect(queued.status).toBe(202);
    const done = await waitForState(images.id, 'ready', { idle: true });
    expect(done.outputs.emptiedAt).toEqual(expect.any(String));
    expect(
      (await h.root.send(new ListObjectsV2Command({ Bucket: IMAGES_BUCKET })))
        .KeyCount,
    ).toBe(0);
  });

  it('keeps the objects of a deleted bucket unreachable for the retention, then purges them', async () => {
    const { client } = await appOf(`${IMAGES}-s3`);
    expect(await h.put(client, IMAGES_BUCKET, 'keep-me.txt')).toBe('ok');
    const reader = await appOf(`${RUN}-reports-s3-ro`, OTHER_NAMESPACE);

    expect((await api('delete', `/requests/${images.id}`)).status).toBe(202);
    await waitForState(images.id, 'deleted');
    expect(await h.secretStatus(`${IMAGES}-s3`, NAMESPACE)).toBe(404);
    expect(await h.get(client, IMAGES_BUCKET, 'keep-me.txt')).toBe(
      'InvalidAccessKeyId',
    );
    // Other teams' read access ends with the bucket.
    expect(await h.get(reader.client, IMAGES_BUCKET, 'keep-me.txt')).toBe(
      'AccessDenied',
    );
    // The objects are still there, for the platform team to bring back.
    expect(await h.read(h.root, IMAGES_BUCKET, 'keep-me.txt')).toBe(
      'keep-me.txt',
    );
    const tags = await h.buckets.tags(IMAGES_BUCKET);
    expect(tags).toEqual({
      [TAGS.requestId]: images.id,
      [TAGS.deletedAt]: expect.any(String),
    });

    // The name stays taken meanwhile: a new request for it fails for good, saying why.
    const again = await create(IMAGES);
    const failed = await waitForState(again.id, 'failed');
    expect(failed.lastError).toMatch(
      new RegExp(
        `^name: bucket '${IMAGES_BUCKET}' is taken on the S3 server: a deleted request's bucket of that name is kept until its retention ends`,
      ),
    );
    await api('delete', `/requests/${again.id}`);
    await waitForState(again.id, 'deleted');
    expect(await h.read(h.root, IMAGES_BUCKET, 'keep-me.txt')).toBe(
      'keep-me.txt',
    );

    // Before the retention the purge leaves it; after, it deletes it.
    const purge = (now: Date) =>
      purgeDeletedBuckets({
        buckets: h.buckets,
        prefix: `${RUN}-`,
        retentionMs: RETENTION_MS,
        logger: logs.logger,
        now,
      });
    const deletedAt = Date.parse(tags[TAGS.deletedAt]);
    expect(await purge(new Date(deletedAt + RETENTION_MS - 1000))).toEqual([]);
    expect(await h.runBuckets()).toContain(IMAGES_BUCKET);
    expect(await purge(new Date(deletedAt + RETENTION_MS + 1000))).toEqual([
      IMAGES_BUCKET,
    ]);
    expect(await h.runBuckets()).not.toContain(IMAGES_BUCKET);

    // The scheduled task does the same.
    const task = (await scheduler.getScheduledTasks()).find(
      t => t.id === PURGE_TASK_ID,
    );
    expect(task).toBeDefined();

    // The reader's request is still there; deleting it deletes its key.
    const grant = (
      await api('get', `/requests?owner=${encodeURIComponent(OTHER_OWNER)}`)
    ).body.items.find((r: { name: string }) => r.name === `${RUN}-reports`);
    expect((await asDave.api('delete', `/requests/${grant.id}`)).status).toBe(
      202,
    );
    await asDave.waitForState(grant.id, 'deleted');
    expect(await h.secretStatus(`${RUN}-reports-s3-ro`, OTHER_NAMESPACE)).toBe(
      404,
    );
    expect(await h.admin.listUsers()).not.toContain(
      reader.data.AWS_ACCESS_KEY_ID,
    );
    await waitForIdle(grant.id);
  });

  it('never lets a secret key into outputs, the timeline, stored rows or logs', async () => {
    expect(secretKeys.size).toBeGreaterThanOrEqual(3);
    await engine.expectSecretsKeptOut({
      secrets: secretKeys,
      requestIds,
      user: BOB,
    });
  });
});

/*
 * The steps of s3-bucket run directly, as a worker runs them, on the test run's real
 * versitygw and Kubernetes API server: converging after a crash half-way, drift put
 * back, expiry without lifecycle rules, and buckets attached to an environment.
 */
import {
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
} from '@aws-sdk/client-s3';
import { JsonObject } from '@backstage/types';
import { teamNamespace } from '@paved/plugin-provisioning-common';
import {
  inMemoryRequestLookup,
  resourceTypeLookup,
  ReferencedRequest,
} from '@paved/plugin-provisioning-node';
import {
  actionContext,
  capturingRootLogger,
  directStepContext,
  storedRequest,
} from '@paved/test-utils';
import { s3Harness } from './__testUtils__/harness';
import { BucketParameters } from './BucketProvisioner';
import { createBucketResourceType } from './bucketResourceType';
import { EXPIRY_TAGS } from './expiry';
import { expireDueObjects } from './expireTask';
import { keyNameOf } from './names';
import { TAGS } from './S3Buckets';

jest.setTimeout(60_000);

const h = s3Harness();
const logs = capturingRootLogger();
const OWNER = `group:default/${h.RUN}-team`;
const TEAM_NAMESPACE = teamNamespace(OWNER);
const type = createBucketResourceType({
  config: h.config,
  buckets: h.buckets,
  keys: h.keys,
  secrets: h.secrets,
});

const stored = (name: string, parameters: Partial<BucketParameters> = {}) =>
  storedRequest('s3-bucket', name, OWNER, {
    versioning: false,
    ...parameters,
  } as BucketParameters);

const contextOf = (
  request: ReturnType<typeof stored>,
  outputs: JsonObject = {},
  kind: 'provision' | 'action' | 'destroy' = 'provision',
  requests = inMemoryRequestLookup(),
) =>
  directStepContext<BucketParameters>({
    request,
    outputs,
    logger: logs.logger,
    kind,
    requests,
  });

async function appOf(secretName: string, namespace = TEAM_NAMESPACE) {
  const { data } = await h.readSecret(secretName, namespace);
  return {
    data,
    client: h.clientOf({
      accessKeyId: data.AWS_ACCESS_KEY_ID,
      secretAccessKey: data.AWS_SECRET_ACCESS_KEY,
    }),
  };
}

describe('the s3-bucket steps', () => {
  beforeAll(() => h.namespaces.add(TEAM_NAMESPACE));
  afterAll(() => h.cleanup());

  it('converge when run again after a crash half-way, leaving one bucket, one key and one Secret', async () => {
    const request = stored(`${h.RUN}-crash`);
    const bucket = `${h.RUN}-${request.name}`;
    // A first attempt made the key's account and died before its grant and Secret
    // (here: its grant failed, on a bucket that is not there).
    const orphan = await h.keys
      .issueKey({
        name: keyNameOf(request.id, 'owner'),
        bucket: `${h.RUN}-elsewhere-never-made`,
        access: 'read-write',
      })
      .catch(() => undefined);
    expect(orphan).toBeUndefined();

    const first = contextOf(request);
    await type.provision(first);
    const firstApp = await appOf(`${request.name}-s3`);
    expect(await h.put(firstApp.client, bucket, 'one.txt')).toBe('ok');

    // The step runs again (a retry, or another worker after a lease expired).
    const second = contextOf(request, { ...first.outputs });
    await type.provision(second);
    expect(second.outputs).toEqual(first.outputs);
    const secondApp = await appOf(`${request.name}-s3`);
    expect(secondApp.data.AWS_ACCESS_KEY_ID).toBe(
      firstApp.data.AWS_ACCESS_KEY_ID,
    );
    expect(await h.read(secondApp.client, bucket, 'one.txt')).toBe('one.txt');
    expect(await h.get(firstApp.client, bucket, 'one.txt')).toBe(
      'SignatureDoesNotMatch',
    );
    expect(await h.runBuckets()).toEqual([bucket]);
    expect(
      (await h.admin.listUsers()).filter(
        id => id === firstApp.data.AWS_ACCESS_KEY_ID,
      ),
    ).toHaveLength(1);

    // Destroy, twice: the second finds everything gone and succeeds.
    const destroy = contextOf(request, second.outputs, 'destroy');
    await type.destroy(destroy);
    await type.destroy(contextOf(request, second.outputs, 'destroy'));
    expect(await h.secretStatus(`${request.name}-s3`, TEAM_NAMESPACE)).toBe(
      404,
    );
    expect(await h.buckets.tags(bucket)).toEqual({
      [TAGS.requestId]: request.id,
      [TAGS.deletedAt]: expect.any(String),
    });

    // A request that never got as far as its bucket is deleted without fuss.
    await type.destroy(contextOf(stored(`${h.RUN}-never`), {}, 'destroy'));
  });

  it('puts back a grant or a versioning setting changed by hand, and says so', async () => {
    const request = stored(`${h.RUN}-drift`, { versioning: true });
    const bucket = `${h.RUN}-${request.name}`;
    const ctx = contextOf(request);
    await type.provision(ctx);
    const { client } = await appOf(`${request.name}-s3`);
    const reconcile = () =>
      type.reconcile!({
        request,
        outputs: ctx.outputs,
        logger: logs.logger,
        signal: new AbortController().signal,
        requests: inMemoryRequestLookup(),
        resourceTypes: resourceTypeLookup([]),
      });
    expect(await reconcile()).toEqual([]);

    await h.root.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    await h.root.send(
      new PutBucketVersioningCommand({
        Bucket: bucket,
        VersioningConfiguration: { Status: 'Suspended' },
      }),
    );
    expect(await h.put(client, bucket, 'x.txt')).toBe('AccessDenied');
    expect(await reconcile()).toEqual([
      `the access key's grant in the policy of bucket '${bucket}' was missing or changed; put it back`,
      `versioning of bucket '${bucket}' had been changed by hand; enabled it again`,
    ]);
    expect(await h.put(client, bucket, 'x.txt')).toBe('ok');
    expect(
      (await h.root.send(new GetBucketVersioningCommand({ Bucket: bucket })))
        .Status,
    ).toBe('Enabled');
    expect(await reconcile()).toEqual([]);

    // Emptying a versioned bucket deletes every version and delete marker too.
    expect(await h.put(client, bucket, 'x.txt', 'second')).toBe('ok');
    expect(await h.put(client, bucket, 'y.txt')).toBe('ok');
    await h.root.send(
      new DeleteObjectCommand({ Bucket: bucket, Key: 'y.txt' }),
    );
    const versions = async () => {
      const listed = await h.root.send(
        new ListObjectVersionsCommand({ Bucket: bucket }),
      );
      return (
        (listed.Versions?.length ?? 0) + (listed.DeleteMarkers?.length ?? 0)
      );
    };
    expect(await versions()).toBe(4);
    const empty = contextOf(request, ctx.outputs, 'action');
    await type.actions!['empty-bucket'].run(
      actionContext(empty, 'empty-bucket', { bucket }),
    );
    expect(await versions()).toBe(0);
  });

  it('expires objects under the prefix where the server has no lifecycle rules', async () => {
    const request = stored(`${h.RUN}-temp`, {
      expireAfterDays: 3,
      expirePrefix: 'tmp/',
    });
    const bucket = `${h.RUN}-${request.name}`;
    const ctx = contextOf(request);
    await type.provision(ctx);
    // versitygw answers NotImplemented to lifecycle rules: the portal enforces it.
    expect(ctx.outputs.expiry).toBe('portal');
    expect(await h.buckets.tags(bucket)).toMatchObject({
      [EXPIRY_TAGS.days]: '3',
      [EXPIRY_TAGS.prefix]: 'tmp/',
    });
    for (const key of ['tmp/a.txt', 'tmp/b/c.txt', 'keep/a.txt', 'tmpfile']) {
      expect(await h.put(h.root, bucket, key)).toBe('ok');
    }
    const run = (days: number) =>
      expireDueObjects({
        buckets: h.buckets,
        prefix: `${h.RUN}-`,
        logger: logs.logger,
        now: new Date(Date.now() + days * 24 * 3600_000),
      });
    expect(await run(2)).toBe(0);
    expect(await run(4)).toBe(2);
    expect(await h.get(h.root, bucket, 'tmp/a.txt')).toBe('NoSuchKey');
    expect(await h.get(h.root, bucket, 'keep/a.txt')).toBe('ok');
    expect(await h.get(h.root, bucket, 'tmpfile')).toBe('ok');
  });

  it("puts the Secret of a bucket attached to an environment into the environment's namespace", async () => {
    const ENV = `${h.RUN}-feature`;
    const ENV_NAMESPACE = `${h.RUN}-feature-ns`;
    h.namespaces.add(ENV_NAMESPACE);
    await h.core.createNamespace({
      body: { metadata: { name: ENV_NAMESPACE } },
    });
    const environment: ReferencedRequest = {
      id: 'env-1',
      type: 'environment',
      name: ENV,
      owner: OWNER,
      parameters: {},
      createdBy: 'user:default/bob',
      state: 'ready',
      outputs: { namespace: ENV_NAMESPACE },
    };
    const request = stored(`${h.RUN}-attached`, { environmentName: ENV });
    const lookup = inMemoryRequestLookup(
      [environment, { ...request, state: 'ready', outputs: {} }],
      [type],
    );
    const ctx = contextOf(request, {}, 'provision', lookup);
    await type.provision(ctx);
    expect(ctx.outputs.secretNamespace).toBe(ENV_NAMESPACE);
    const { client } = await appOf(`${request.name}-s3`, ENV_NAMESPACE);
    expect(await h.put(client, `${h.RUN}-${request.name}`, 'e.txt')).toBe('ok');
    expect(await h.secretStatus(`${request.name}-s3`, TEAM_NAMESPACE)).toBe(
      404,
    );
    // Environments find it, and a copy gets one with the same settings.
    const attached = await lookup.listAttached(ENV);
    expect(attached.map(a => a.request.name)).toEqual([request.name]);
    expect(attached[0].copyParameters({ seeded: true })).toEqual({
      versioning: false,
    });
    expect(attached[0].seedAction).toBeUndefined();

    // Rotation and deletion follow the Secret there, even with the environment gone.
    const rotate = contextOf(request, ctx.outputs, 'action');
    await type.actions!['rotate-keys'].run(
      actionContext(rotate, 'rotate-keys', {}),
    );
    expect(await h.get(client, `${h.RUN}-${request.name}`, 'e.txt')).toBe(
      'SignatureDoesNotMatch',
    );
    await type.destroy(contextOf(request, rotate.outputs, 'destroy'));
    expect(await h.secretStatus(`${request.name}-s3`, ENV_NAMESPACE)).toBe(404);

    // An environment that is gone: nothing is made, the field is named.
    const orphan = stored(`${h.RUN}-orphan`, {
      environmentName: `${h.RUN}-nowhere`,
    });
    const error = await type
      .provision(contextOf(orphan, {}, 'provision', lookup))
      .catch(e => e);
    expect({ name: error.name, message: error.message }).toEqual({
      name: 'NonRetryableError',
      message: `parameters.environmentName: there is no environment '${h.RUN}-nowhere' (any more)`,
    });
    expect(await h.runBuckets()).not.toContain(`${h.RUN}-${orphan.name}`);
  });
});

/*
 * Read-only access to a bucket (`s3-bucket-read-access`), its steps run directly on
 * the test run's real versitygw and Kubernetes API server: who approves it, and that
 * it never outlives the bucket it reads.
 */
import { JsonObject } from '@backstage/types';
import { teamNamespace } from '@paved/plugin-provisioning-common';
import {
  inMemoryRequestLookup,
  resourceTypeLookup,
} from '@paved/plugin-provisioning-node';
import {
  actionContext,
  capturingRootLogger,
  directStepContext,
} from '@paved/test-utils';
import { s3Harness } from './__testUtils__/harness';
import { BucketParameters } from './BucketProvisioner';
import { createBucketResourceType } from './bucketResourceType';
import {
  BucketReadAccessParameters,
  createBucketReadAccessResourceType,
} from './readAccess';

jest.setTimeout(60_000);

const h = s3Harness();
const logs = capturingRootLogger();
const OWNER = `group:default/${h.RUN}-team`;
const READER = `group:default/${h.RUN}-reporting-team`;
const endpoint = {
  endpoint: h.config.publicEndpoint,
  region: h.config.region,
  forcePathStyle: h.config.forcePathStyle,
};
const buckets = createBucketResourceType({
  config: h.config,
  buckets: h.buckets,
  keys: h.keys,
  secrets: h.secrets,
});
const readAccess = createBucketReadAccessResourceType({
  buckets: h.buckets,
  keys: h.keys,
  secrets: h.secrets,
  endpoint,
});

describe('s3-bucket-read-access', () => {
  const source = {
    id: `${h.RUN}-source-id`,
    type: 's3-bucket',
    name: `${h.RUN}-photos`,
    owner: OWNER,
    parameters: { versioning: false } as BucketParameters,
    createdBy: 'user:default/bob',
  };
  const bucket = `${h.RUN}-${source.name}`;
  let sourceOutputs: JsonObject = {};
  const grant = {
    id: `${h.RUN}-grant-id`,
    type: 's3-bucket-read-access',
    name: `${h.RUN}-reports`,
    owner: READER,
    parameters: {
      bucket: source.name,
      component: 'component:default/reporting-service',
    } as BucketReadAccessParameters,
    createdBy: 'user:default/dave',
  };
  let grantOutputs: JsonObject = {};
  const grantContext = (
    kind: 'provision' | 'action' | 'destroy' = 'provision',
  ) =>
    directStepContext<BucketReadAccessParameters>({
      request: grant,
      outputs: grantOutputs,
      logger: logs.logger,
      kind,
      requests: inMemoryRequestLookup([
        { ...source, state: 'ready', outputs: sourceOutputs },
      ]),
    });

  beforeAll(async () => {
    h.namespaces.add(teamNamespace(OWNER));
    h.namespaces.add(teamNamespace(READER));
    const ctx = directStepContext<BucketParameters>({
      request: source,
      logger: logs.logger,
    });
    await buckets.provision(ctx);
    sourceOutputs = ctx.outputs;
    await h.write(h.root, bucket, 'photo.jpg');
  });

  afterAll(() => h.cleanup());

  it("names the bucket as a reference, and sends another team's request to its owners", () => {
    const input = {
      type: grant.type,
      name: grant.name,
      owner: READER,
      parameters: grant.parameters,
      createdBy: grant.createdBy,
    };
    expect(readAccess.references!(input)).toEqual([
      {
        field: 'parameters.bucket',
        type: 's3-bucket',
        name: source.name,
        permission: 'read',
      },
    ]);
    const references = {
      'parameters.bucket': { ...source, state: 'ready' as const, outputs: {} },
    };
    expect(readAccess.policy!.requiresApproval!(input, { references })).toEqual(
      {
        reason: `read access to bucket ${source.name} of ${OWNER} needs its owner's approval`,
        approvers: OWNER,
      },
    );
    // The owner's own components: no approval, however the owner is spelled.
    expect(
      readAccess.policy!.requiresApproval!(
        { ...input, owner: `${h.RUN}-team` },
        { references },
      ),
    ).toBeUndefined();
    expect(
      readAccess.policy!.requiresApproval!(input, { references: {} }),
    ).toEqual({
      reason: `read access to bucket ${source.name} needs an approval: its owner is not known`,
    });
  });

  it("makes a key that reads the other team's bucket and changes nothing, in the grantee's namespace", async () => {
    const ctx = grantContext();
    await readAccess.provision(ctx);
    grantOutputs = ctx.outputs;
    expect(grantOutputs).toEqual({
      bucket,
      endpoint: endpoint.endpoint,
      region: endpoint.region,
      accessKeyId: expect.stringMatching(/^PVD/),
      secretName: `${grant.name}-s3-ro`,
      secretNamespace: teamNamespace(READER),
      secretUid: expect.any(String),
    });
    const { secret, data } = await h.readSecret(
      `${grant.name}-s3-ro`,
      teamNamespace(READER),
    );
    expect(secret.metadata?.labels).toMatchObject({
      'paved.dev/request-id': grant.id,
      'paved.dev/resource-type': 's3-bucket-read-access',
    });
    const reader = h.clientOf({
      accessKeyId: data.AWS_ACCESS_KEY_ID,
      secretAccessKey: data.AWS_SECRET_ACCESS_KEY,
    });
    expect(await h.get(reader, bucket, 'photo.jpg')).toBe('ok');
    expect(await h.put(reader, bucket, 'defaced.jpg')).toBe('AccessDenied');
    // The bucket's own key is unaffected by the grant.
    const owner = await h.readSecret(`${source.name}-s3`, teamNamespace(OWNER));
    expect(owner.data.AWS_ACCESS_KEY_ID).not.toBe(data.AWS_ACCESS_KEY_ID);
  });

  it('ends with the bucket: no rotation, no drift correction gives it back', async () => {
    const { data } = await h.readSecret(
      `${grant.name}-s3-ro`,
      teamNamespace(READER),
    );
    const reader = h.clientOf({
      accessKeyId: data.AWS_ACCESS_KEY_ID,
      secretAccessKey: data.AWS_SECRET_ACCESS_KEY,
    });
    await buckets.destroy(
      directStepContext<BucketParameters>({
        request: source,
        outputs: sourceOutputs,
        logger: logs.logger,
        kind: 'destroy',
      }),
    );
    expect(await h.get(reader, bucket, 'photo.jpg')).toBe('AccessDenied');

    const rotate = grantContext('action');
    const error = await readAccess
      .actions!['rotate-keys'].run(actionContext(rotate, 'rotate-keys', {}))
      .catch(e => e);
    expect({ name: error.name, message: error.message }).toEqual({
      name: 'NonRetryableError',
      message: `parameters.bucket: bucket '${bucket}' of '${source.name}' is gone from the S3 server`,
    });
    expect(
      await readAccess.reconcile!({
        request: grant,
        outputs: grantOutputs,
        logger: logs.logger,
        signal: new AbortController().signal,
        resourceTypes: resourceTypeLookup([]),
        requests: inMemoryRequestLookup([
          { ...source, state: 'ready', outputs: sourceOutputs },
        ]),
      }),
    ).toEqual([]);
    expect(await h.get(reader, bucket, 'photo.jpg')).toBe('AccessDenied');

    await readAccess.destroy(grantContext('destroy'));
    expect(await h.get(reader, bucket, 'photo.jpg')).toBe('InvalidAccessKeyId');
    expect(
      await h.secretStatus(`${grant.name}-s3-ro`, teamNamespace(READER)),
    ).toBe(404);
    await readAccess.destroy(grantContext('destroy'));
  });
});

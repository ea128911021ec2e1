import { InputError } from '@backstage/errors';
import { SecretWriter } from '@paved/plugin-provisioning-node';
import { expectScoreSecretRefs } from '@paved/test-utils';
import { AccessKeyManager } from './accessKeys/AccessKeyManager';
import { BucketParameters } from './BucketProvisioner';
import { bucketSecret } from './bucketSecret';
import { createBucketResourceType } from './bucketResourceType';
import { S3ModuleConfig } from './config';
import { S3Buckets } from './S3Buckets';

// Nothing runs a step here: the Score member is pure.
const type = createBucketResourceType({
  config: {
    publicEndpoint: 'http://s3.internal:9000',
    region: 'eu-west-1',
    forcePathStyle: true,
    bucketPrefix: 'paved-',
  } as unknown as S3ModuleConfig,
  buckets: {} as S3Buckets,
  keys: {} as AccessKeyManager,
  secrets: {} as SecretWriter,
});
const score = type.score!;
const claim = { name: 'uploads', type: 's3', workload: 'shop' };

const request = (outputs: Record<string, any>) => ({
  id: 'r1',
  type: 's3-bucket',
  name: 'shop-uploads',
  owner: 'group:default/team',
  createdBy: 'user:default/bob',
  state: 'ready' as const,
  parameters: { versioning: false } as BucketParameters,
  outputs,
});

describe('s3-bucket as a Score resource', () => {
  it('provides the Score type s3, with environmentCopy', () => {
    expect(score.types).toEqual(['s3']);
    expect(type.environmentCopy).toBeDefined();
  });

  it("makes a bucket with the type's defaults, or the params it takes", () => {
    expect(score.parameters(claim)).toEqual({});
    expect(
      score.parameters({
        ...claim,
        params: { versioning: true, expireAfterDays: 7, expirePrefix: 'tmp/' },
      }),
    ).toEqual({ versioning: true, expireAfterDays: 7, expirePrefix: 'tmp/' });
  });

  it('refuses params it does not take, bad values and classes, naming the field', () => {
    expect(() =>
      score.parameters({ ...claim, params: { acl: 'public-read' } }),
    ).toThrow(
      new InputError(
        "resources.uploads.params.acl: Score resource type 's3' takes no parameter 'acl'; it takes 'versioning', 'expireAfterDays', 'expirePrefix'",
      ),
    );
    expect(() =>
      score.parameters({ ...claim, params: { expireAfterDays: 0 } }),
    ).toThrow('resources.uploads.params.expireAfterDays: must be at least 1');
    expect(() => score.parameters({ ...claim, class: 'glacier' })).toThrow(
      "resources.uploads.class: 'glacier' is not a class of Score resource type 's3'; use 'default'",
    );
  });

  it("outputs score-k8s's names and aliases: the secret key from the Secret", () => {
    // As BucketProvisioner records them.
    const outputs = score.outputs(
      request({
        bucket: 'paved-shop-uploads',
        endpoint: 'http://s3.internal:9000',
        region: 'eu-west-1',
        accessKeyId: 'AKIA123',
        secretName: 'shop-uploads-s3',
        secretNamespace: 'dev-ns',
      }),
    );
    const secretKey = {
      secretKeyRef: { name: 'shop-uploads-s3', key: 'AWS_SECRET_ACCESS_KEY' },
    };
    expect(outputs).toEqual({
      endpoint: { value: 'http://s3.internal:9000' },
      region: { value: 'eu-west-1' },
      bucket: { value: 'paved-shop-uploads' },
      access_key_id: { value: 'AKIA123' },
      secret_key: secretKey,
      aws_access_key_id: { value: 'AKIA123' },
      aws_secret_key: secretKey,
    });
    // The Secret the type writes has that key.
    const secret = bucketSecret({
      name: 'shop-uploads-s3',
      namespace: 'dev-ns',
      request: request({}),
      resourceType: 's3-bucket',
      s3: {
        endpoint: 'http://s3.internal:9000',
        region: 'eu-west-1',
        forcePathStyle: true,
      },
      bucket: 'paved-shop-uploads',
      key: { accessKeyId: 'AKIA123', secretAccessKey: 'secret-value' },
    });
    expectScoreSecretRefs(outputs, secret, 'secret-value');
    expect(Object.keys(secret.data!)).toContain('AWS_ACCESS_KEY_ID');
  });

  it('reads the key id from the Secret when the outputs lack it', () => {
    const outputs = score.outputs(
      request({ endpoint: 'http://s3.internal:9000', region: 'eu-west-1' }),
    );
    expect(outputs.bucket).toEqual({ value: 'paved-shop-uploads' });
    expect(outputs.access_key_id).toEqual({
      secretKeyRef: { name: 'shop-uploads-s3', key: 'AWS_ACCESS_KEY_ID' },
    });
  });
});

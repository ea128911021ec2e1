import { ConfigReader } from '@backstage/config';
import { readS3Config } from './config';

const base = {
  endpoint: 'http://127.0.0.1:7070/',
  region: 'us-east-1',
  accessKeyId: 'root',
  secretAccessKey: 'hunter2-root-secret',
  accessKeys: { type: 'versitygw', adminEndpoint: 'http://127.0.0.1:7071' },
  kubernetes: { kubeconfigPath: '/k' },
};

const read = (s3: object) =>
  readS3Config(new ConfigReader({ provisioning: { s3 } }));

describe('readS3Config', () => {
  it('is undefined without a provisioning.s3 section', () => {
    expect(readS3Config(new ConfigReader({}))).toBeUndefined();
  });

  it('fills in the defaults', () => {
    expect(read(base)).toEqual({
      endpoint: 'http://127.0.0.1:7070',
      region: 'us-east-1',
      forcePathStyle: false,
      accessKeyId: 'root',
      secretAccessKey: 'hunter2-root-secret',
      publicEndpoint: 'http://127.0.0.1:7070',
      bucketPrefix: '',
      accessKeys: {
        type: 'versitygw',
        adminEndpoint: 'http://127.0.0.1:7071',
      },
      deletionRetentionMs: 7 * 24 * 60 * 60 * 1000,
      kubernetes: { kind: 'kubeconfig', path: '/k' },
    });
  });

  it('reads every setting', () => {
    expect(
      read({
        ...base,
        forcePathStyle: true,
        publicEndpoint: 'http://s3.storage.svc:7070',
        bucketPrefix: 'acme-',
        deletionRetention: { hours: 2 },
      }),
    ).toMatchObject({
      forcePathStyle: true,
      publicEndpoint: 'http://s3.storage.svc:7070',
      bucketPrefix: 'acme-',
      deletionRetentionMs: 2 * 60 * 60 * 1000,
    });
  });

  it('names every bad key and never a value', () => {
    let message = '';
    try {
      read({
        ...base,
        endpoint: 'not a url',
        bucketPrefix: 'xn--acme',
        accessKeys: { type: 'iam', adminEndpoint: 'http://a' },
        secretAccessKey: '',
        color: 'blue',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^Invalid config: /);
    expect(message).toContain(
      'provisioning.s3.endpoint: must be an http(s) URL',
    );
    expect(message).toContain(
      'provisioning.s3.bucketPrefix: must not start with a prefix S3 reserves',
    );
    expect(message).toContain(
      "provisioning.s3.accessKeys.type: must be 'versitygw'",
    );
    expect(message).toContain(
      'provisioning.s3.secretAccessKey: must not be empty',
    );
    expect(message).toContain('provisioning.s3.color: is not a setting');
    expect(message).not.toContain('hunter2');
    expect(() => read({ ...base, accessKeys: undefined })).toThrow(
      'Invalid config: provisioning.s3.accessKeys: is required',
    );
    expect(() => read({ ...base, deletionRetention: 'soon' })).toThrow(
      /deletionRetention/,
    );
  });
});

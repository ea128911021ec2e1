import { requireTestS3 } from './testS3';

const exported = {
  PAVED_TEST_S3_ENDPOINT: 'http://127.0.0.1:27070',
  PAVED_TEST_S3_ADMIN_ENDPOINT: 'http://127.0.0.1:27071/',
  PAVED_TEST_S3_ACCESS_KEY: 'paved-root',
  PAVED_TEST_S3_SECRET_KEY: 's3cret',
};

describe('requireTestS3', () => {
  it('gives the root account of the server the test run exported', () => {
    expect(requireTestS3(exported)).toEqual({
      endpoint: 'http://127.0.0.1:27070',
      adminEndpoint: 'http://127.0.0.1:27071',
      region: 'us-east-1',
      accessKeyId: 'paved-root',
      secretAccessKey: 's3cret',
    });
  });

  it('fails, never skips, without a server, naming the variables and ./paved test', () => {
    expect(() => requireTestS3({})).toThrow(
      'This test needs a real S3 server, but PAVED_TEST_S3_ENDPOINT, PAVED_TEST_S3_ADMIN_ENDPOINT, PAVED_TEST_S3_ACCESS_KEY, PAVED_TEST_S3_SECRET_KEY are not set; run it with ./paved test',
    );
  });

  it('names the one variable that is missing', () => {
    const { PAVED_TEST_S3_SECRET_KEY: _, ...withoutSecret } = exported;
    expect(() => requireTestS3(withoutSecret)).toThrow(
      /but PAVED_TEST_S3_SECRET_KEY is not set/,
    );
  });

  it('rejects an endpoint that is not a URL', () => {
    expect(() =>
      requireTestS3({ ...exported, PAVED_TEST_S3_ENDPOINT: 'ftp://x' }),
    ).toThrow("PAVED_TEST_S3_ENDPOINT must be an http(s) URL, got 'ftp://x'");
  });
});

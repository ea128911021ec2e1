import { requiredServerVariables, urlFrom } from './testServerEnv';

/** The root account of the test run's S3 server (versitygw), which tests provision on. */
export interface TestS3 {
  /** The S3 API, e.g. http://127.0.0.1:27070 (path-style addressing). */
  endpoint: string;
  /** versitygw's admin API (accounts, bucket owners), signed with the root key. */
  adminEndpoint: string;
  region: 'us-east-1';
  accessKeyId: string;
  secretAccessKey: string;
}

const VARIABLES = [
  'PAVED_TEST_S3_ENDPOINT',
  'PAVED_TEST_S3_ADMIN_ENDPOINT',
  'PAVED_TEST_S3_ACCESS_KEY',
  'PAVED_TEST_S3_SECRET_KEY',
] as const;

/**
 * The S3 server `./paved test` started (s3_up in scripts/lib/s3.sh) and exported as
 * PAVED_TEST_S3_*. Throws (the test fails, never skips) when there is none. The server
 * is shared by every test file of the run: use unique names.
 */
export function requireTestS3(env: NodeJS.ProcessEnv = process.env): TestS3 {
  const vars = requiredServerVariables(
    env,
    'S3 server',
    VARIABLES,
    's3_up (scripts/lib/s3.sh)',
  );
  return {
    endpoint: urlFrom('PAVED_TEST_S3_ENDPOINT', vars.PAVED_TEST_S3_ENDPOINT),
    adminEndpoint: urlFrom(
      'PAVED_TEST_S3_ADMIN_ENDPOINT',
      vars.PAVED_TEST_S3_ADMIN_ENDPOINT,
    ),
    // versitygw's default, and what s3_up starts it with.
    region: 'us-east-1',
    accessKeyId: vars.PAVED_TEST_S3_ACCESS_KEY,
    secretAccessKey: vars.PAVED_TEST_S3_SECRET_KEY,
  };
}

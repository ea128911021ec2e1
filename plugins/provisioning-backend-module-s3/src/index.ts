/**
 * The `s3-bucket` resource type of Paved's provisioning: an S3 bucket on a configured
 * server, an access key that may use only it, and its details in a Kubernetes Secret
 * of the owning team; and `s3-bucket-read-access`, another team's read-only key.
 *
 * @packageDocumentation
 */
export { provisioningModuleS3 as default } from './module';
export { readS3Config } from './config';
export type { S3ModuleConfig, AccessKeysConfig } from './config';
export type {
  AccessKeyManager,
  BucketAccess,
  IssuedKey,
} from './accessKeys/AccessKeyManager';
export { createBucketResourceType } from './bucketResourceType';
export { createBucketReadAccessResourceType } from './readAccess';
export { purgeDeletedBuckets } from './purge';
export { expireDueObjects } from './expireTask';

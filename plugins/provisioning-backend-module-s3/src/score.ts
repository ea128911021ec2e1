import { JsonObject } from '@backstage/types';
import {
  ReferencedRequest,
  scoreClaimParameters,
  ScoreResources,
} from '@paved/plugin-provisioning-node';
import { BucketParameters } from './BucketProvisioner';
import { BucketNames } from './names';

/** The type's parameters a workload may set through `resources.<name>.params`. */
const SCORE_PARAMS = ['versioning', 'expireAfterDays', 'expirePrefix'];

/**
 * The `s3-bucket` type as Score's `s3` resource, with outputs named as score-k8s's
 * default provisioner names them: `endpoint`, `region`, `bucket`, `access_key_id`
 * and `secret_key`, and the `aws_access_key_id` / `aws_secret_key` aliases it keeps
 * for Humanitec's s3 resource. The key's secret is a key of the request's Secret,
 * never a value; its id is not secret (the request's outputs show it). The type has no
 * size or plan, so only the `default` class is taken.
 */
export function bucketScore(options: {
  schema: JsonObject;
  /** The bucket and Secret of a request, as its steps name them. */
  namesOf(request: ReferencedRequest<BucketParameters>): BucketNames;
}): ScoreResources<BucketParameters> {
  const { schema } = options;
  return {
    types: ['s3'],
    parameters: claim =>
      scoreClaimParameters(claim, { schema, params: SCORE_PARAMS }),
    outputs: request => {
      const { endpoint, region, accessKeyId } = request.outputs;
      const { bucket, secretName: name } = options.namesOf(request);
      const keyId =
        typeof accessKeyId === 'string'
          ? { value: accessKeyId }
          : { secretKeyRef: { name, key: 'AWS_ACCESS_KEY_ID' } };
      const secret = { secretKeyRef: { name, key: 'AWS_SECRET_ACCESS_KEY' } };
      return {
        endpoint: { value: String(endpoint) },
        region: { value: String(region) },
        bucket: { value: bucket },
        access_key_id: keyId,
        secret_key: secret,
        aws_access_key_id: keyId,
        aws_secret_key: secret,
      };
    },
  };
}

/*
 * The XRD the tests offer: an `XBucket`, namespaced, with a deprecated version and
 * the referenceable one, a CEL rule, nested fields, and Crossplane v2's convention
 * for where the connection Secret goes (`spec.writeConnectionSecretToRef.name`).
 */
import { environmentNameSchema } from '@paved/plugin-provisioning-node';
import { CompositeResourceDefinition } from '../xrd';

/** An XRD named `xbuckets.<group>`; one group per test run, so runs never meet. */
export function xbucketXrd(group: string): CompositeResourceDefinition {
  const spec = (withVersioning: boolean) => ({
    type: 'object',
    description: 'What the bucket is like.',
    required: ['sizeGi'],
    'x-kubernetes-validations': [
      {
        rule: '!has(self.retentionDays) || self.retentionDays <= self.sizeGi * 10',
        message: 'retentionDays must be at most ten days per GiB',
      },
    ],
    properties: {
      region: {
        type: 'string',
        description: 'Where the bucket lives.',
        enum: ['eu-west-1', 'us-east-1'],
        default: 'eu-west-1',
      },
      sizeGi: {
        type: 'integer',
        description: 'How much it may hold, in GiB.',
        minimum: 1,
        maximum: 100,
      },
      retentionDays: {
        type: 'integer',
        description: 'How long deleted objects are kept.',
        minimum: 1,
      },
      ...(withVersioning
        ? {
            versioning: {
              type: 'boolean',
              description: 'Whether objects keep their old versions.',
              default: false,
            },
          }
        : {}),
      tags: {
        type: 'object',
        description: 'Tags of the bucket.',
        additionalProperties: { type: 'string' },
      },
      lifecycle: {
        type: 'object',
        description: 'When objects expire.',
        'x-kubernetes-map-type': 'atomic',
        properties: {
          expireAfterDays: {
            type: 'integer',
            description: 'Days after which objects are deleted.',
            minimum: 1,
          },
          prefix: {
            type: 'string',
            description: 'The objects it applies to.',
            pattern: '^[a-z0-9/]*$',
          },
        },
      },
      writeConnectionSecretToRef: {
        type: 'object',
        description: 'Where the composition writes the connection details.',
        properties: { name: { type: 'string' } },
      },
    },
  });
  const schema = (withVersioning: boolean) => ({
    openAPIV3Schema: {
      type: 'object',
      description: 'A bucket of object storage.',
      properties: {
        metadata: {
          type: 'object',
          properties: { name: { type: 'string', maxLength: 40 } },
        },
        spec: spec(withVersioning),
        status: {
          type: 'object',
          properties: {
            endpoint: { type: 'string' },
            arn: { type: 'string' },
            usage: {
              type: 'object',
              properties: { objects: { type: 'integer' } },
            },
          },
        },
      },
    },
  });
  return {
    apiVersion: 'apiextensions.crossplane.io/v2',
    kind: 'CompositeResourceDefinition',
    metadata: {
      name: `xbuckets.${group}`,
      annotations: { 'paved.dev/title': 'Object storage bucket' },
    },
    spec: {
      group,
      names: { kind: 'XBucket', plural: 'xbuckets' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          referenceable: false,
          schema: schema(false),
        },
        {
          name: 'v1beta1',
          served: true,
          referenceable: true,
          schema: schema(true),
        },
      ],
    },
  };
}

/** The form the referenceable version's spec becomes. */
export const XBUCKET_PARAMETERS = {
  type: 'object',
  description: 'What the bucket is like.',
  required: ['sizeGi'],
  additionalProperties: false,
  properties: {
    region: {
      type: 'string',
      description: 'Where the bucket lives.',
      enum: ['eu-west-1', 'us-east-1'],
      default: 'eu-west-1',
    },
    sizeGi: {
      type: 'integer',
      description: 'How much it may hold, in GiB.',
      minimum: 1,
      maximum: 100,
    },
    retentionDays: {
      type: 'integer',
      description: 'How long deleted objects are kept.',
      minimum: 1,
    },
    versioning: {
      type: 'boolean',
      description: 'Whether objects keep their old versions.',
      default: false,
    },
    tags: {
      type: 'object',
      description: 'Tags of the bucket.',
      additionalProperties: { type: 'string' },
    },
    lifecycle: {
      type: 'object',
      description: 'When objects expire.',
      additionalProperties: false,
      properties: {
        expireAfterDays: {
          type: 'integer',
          description: 'Days after which objects are deleted.',
          minimum: 1,
        },
        prefix: {
          type: 'string',
          description: 'The objects it applies to.',
          pattern: '^[a-z0-9/]*$',
        },
      },
    },
    environmentName: environmentNameSchema('XBucket'),
  },
};

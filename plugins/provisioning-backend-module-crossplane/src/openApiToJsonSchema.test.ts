import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { openApiToJsonSchema } from './openApiToJsonSchema';

/** Validates as the provisioning engine does (draft-07, formats, non-strict). */
function validator(schema: object) {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('openApiToJsonSchema', () => {
  it('keeps types, enums, defaults, descriptions, required, bounds and patterns', () => {
    const schema = {
      type: 'object',
      description: 'A bucket.',
      required: ['region'],
      properties: {
        region: {
          type: 'string',
          description: 'Where it lives.',
          enum: ['eu-west-1', 'us-east-1'],
          default: 'eu-west-1',
        },
        sizeGi: {
          type: 'integer',
          format: 'int32',
          minimum: 1,
          maximum: 100,
          multipleOf: 1,
        },
        prefix: {
          type: 'string',
          minLength: 1,
          maxLength: 20,
          pattern: '^[a-z]+$',
        },
        tags: {
          type: 'array',
          items: { type: 'string' },
          minItems: 1,
          maxItems: 5,
          uniqueItems: true,
        },
      },
    };
    expect(openApiToJsonSchema(schema)).toEqual({
      ...schema,
      // Undeclared fields would be pruned by the API server: refused instead.
      additionalProperties: false,
    });
  });

  it('drops x-kubernetes-* extensions at every depth, and what JSON Schema reads differently', () => {
    expect(
      openApiToJsonSchema({
        type: 'object',
        'x-kubernetes-validations': [
          { rule: 'self.a > 0', message: 'a must be positive' },
        ],
        properties: {
          a: { type: 'integer', nullable: true, example: 3 },
          list: {
            type: 'array',
            'x-kubernetes-list-type': 'atomic',
            items: {
              type: 'object',
              'x-kubernetes-map-type': 'atomic',
              properties: { b: { type: 'string', format: 'duration' } },
            },
          },
          labels: {
            type: 'object',
            additionalProperties: { type: 'string', 'x-kubernetes-foo': 1 },
          },
          raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        },
      }),
    ).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: {
        a: { type: 'integer' },
        list: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            properties: { b: { type: 'string' } },
          },
        },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        raw: { type: 'object' },
      },
    });
  });

  it("keeps open an object that preserves unknown fields, and reads OpenAPI 3.0's boolean exclusive bounds", () => {
    const converted = openApiToJsonSchema({
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true,
      properties: {
        ratio: {
          type: 'number',
          minimum: 0,
          exclusiveMinimum: true,
          maximum: 1,
          exclusiveMaximum: false,
        },
      },
    });
    expect(converted).toEqual({
      type: 'object',
      properties: {
        ratio: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
      },
    });
    const validate = validator(converted);
    expect(validate({ ratio: 0 })).toBe(false);
    expect(validate({ ratio: 1, extra: true })).toBe(true);
  });

  it('makes an int-or-string field accept both, and converts anyOf, oneOf, allOf and not', () => {
    const converted = openApiToJsonSchema({
      type: 'object',
      properties: {
        port: { 'x-kubernetes-int-or-string': true },
        size: {
          'x-kubernetes-int-or-string': true,
          anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^\\d+Gi$' }],
        },
        mode: {
          type: 'object',
          properties: { a: { type: 'string' }, b: { type: 'string' } },
          oneOf: [{ required: ['a'] }, { required: ['b'] }],
          not: { required: ['a', 'b'], 'x-kubernetes-x': true },
          allOf: [{ minProperties: 1 }],
        },
      },
    });
    expect(converted.properties).toEqual({
      port: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
      size: {
        anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^\\d+Gi$' }],
      },
      mode: {
        type: 'object',
        additionalProperties: false,
        properties: { a: { type: 'string' }, b: { type: 'string' } },
        oneOf: [{ required: ['a'] }, { required: ['b'] }],
        not: { required: ['a', 'b'] },
        allOf: [{ minProperties: 1 }],
      },
    });
    const validate = validator(converted);
    expect(validate({ port: 8080, size: '10Gi', mode: { a: 'x' } })).toBe(true);
    expect(validate({ port: 'http' })).toBe(true);
    expect(validate({ port: true })).toBe(false);
    expect(validate({ size: '10G' })).toBe(false);
    expect(validate({ mode: { a: 'x', b: 'y' } })).toBe(false);
  });

  it('gives a schema the engine compiles, which fills in defaults and names bad fields', () => {
    const validate = validator(
      openApiToJsonSchema({
        type: 'object',
        required: ['sizeGi'],
        properties: {
          sizeGi: { type: 'integer', minimum: 1 },
          versioning: { type: 'boolean', default: false },
          createdAt: { type: 'string', format: 'date-time' },
        },
      }),
    );
    const value: Record<string, unknown> = { sizeGi: 3 };
    expect(validate(value)).toBe(true);
    expect(value).toEqual({ sizeGi: 3, versioning: false });
    expect(validate({ sizeGi: 'big', createdAt: 'yesterday', other: 1 })).toBe(
      false,
    );
    expect(
      validate.errors?.map(e => `${e.instancePath} ${e.keyword}`).sort(),
    ).toEqual([' additionalProperties', '/createdAt format', '/sizeGi type']);
  });
});

import { scoreClaimParameters } from './scoreClaimParameters';

const schema = {
  type: 'object',
  properties: {
    size: { type: 'string', enum: ['small', 'large'] },
    connectionLimit: { type: 'integer', minimum: 1, maximum: 100 },
    ratio: { type: 'number' },
    versioning: { type: 'boolean' },
    prefix: { type: 'string', maxLength: 5, pattern: '^[a-z/]*$' },
  },
};
const claim = { name: 'db', type: 'postgres', workload: 'shop' };
const options = {
  schema,
  params: ['connectionLimit', 'versioning', 'prefix', 'ratio'],
  classParameter: { name: 'size', values: ['small', 'large'] },
};

describe('scoreClaimParameters', () => {
  it('maps class and params onto the parameters, over the defaults', () => {
    expect(
      scoreClaimParameters(
        {
          ...claim,
          class: 'large',
          params: {
            connectionLimit: 20,
            versioning: true,
            prefix: 'tmp/',
            ratio: 2,
          },
        },
        { ...options, defaults: { size: 'small', queues: [] } },
      ),
    ).toEqual({
      size: 'large',
      queues: [],
      connectionLimit: 20,
      versioning: true,
      prefix: 'tmp/',
      ratio: 2,
    });
    expect(
      scoreClaimParameters({ ...claim, class: 'default' }, options),
    ).toEqual({});
  });

  it('refuses unknown params and bad values, naming the field', () => {
    expect(() =>
      scoreClaimParameters({ ...claim, params: { engine: 'x' } }, options),
    ).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message:
          "resources.db.params.engine: Score resource type 'postgres' takes no parameter 'engine'; it takes 'connectionLimit', 'versioning', 'prefix', 'ratio'",
      }),
    );
    const refused = (params: Record<string, any>) => {
      try {
        scoreClaimParameters({ ...claim, params }, options);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(refused({ connectionLimit: 1.5 })).toBe(
      'resources.db.params.connectionLimit: must be an integer',
    );
    expect(refused({ connectionLimit: 1000 })).toBe(
      'resources.db.params.connectionLimit: must be at most 100',
    );
    expect(refused({ ratio: '2' })).toBe(
      'resources.db.params.ratio: must be a number',
    );
    expect(refused({ versioning: 'yes' })).toBe(
      'resources.db.params.versioning: must be a boolean',
    );
    expect(refused({ prefix: 'TMP' })).toBe(
      'resources.db.params.prefix: must match ^[a-z/]*$',
    );
  });

  it('refuses a class the type does not have, or any class without a class parameter', () => {
    expect(() =>
      scoreClaimParameters({ ...claim, class: 'huge' }, options),
    ).toThrow(
      "resources.db.class: 'huge' is not a class of Score resource type 'postgres'; use 'default', 'small', 'large'",
    );
    expect(() =>
      scoreClaimParameters(
        { ...claim, class: 'large' },
        { schema, params: [] },
      ),
    ).toThrow(
      "resources.db.class: 'large' is not a class of Score resource type 'postgres'; use 'default'",
    );
  });
});

import { ResourceType } from './ResourceType';
import { resourceTypeLookup } from './resourceTypeLookup';

function type(
  id: string,
  scoreTypes?: string[],
  environmentCopy: boolean = true,
): ResourceType {
  return {
    id,
    title: id,
    description: id,
    parameters: { type: 'object' },
    provision: async () => {},
    destroy: async () => {},
    ...(environmentCopy ? { environmentCopy: {} } : {}),
    ...(scoreTypes
      ? {
          score: {
            types: scoreTypes,
            parameters: () => ({}),
            outputs: () => ({}),
          },
        }
      : {}),
  };
}

describe('resourceTypeLookup', () => {
  it('finds the type providing a Score type and lists them sorted', () => {
    const postgres = type('postgres', ['postgres']);
    const bucket = type('s3-bucket', ['s3', 'minio']);
    const lookup = resourceTypeLookup([postgres, type('plain'), bucket]);
    expect(lookup.forScoreType('postgres')).toBe(postgres);
    expect(lookup.forScoreType('minio')).toBe(bucket);
    expect(lookup.forScoreType('redis')).toBeUndefined();
    expect(lookup.scoreTypes()).toEqual(['minio', 'postgres', 's3']);
  });

  it('refuses two types providing the same Score type, naming both', () => {
    expect(() =>
      resourceTypeLookup([
        type('postgres', ['postgres']),
        type('pg2', ['postgres']),
      ]),
    ).toThrow(
      "Resource types 'postgres' and 'pg2' both provide the Score resource type 'postgres'",
    );
  });

  it('refuses a Score type without environmentCopy', () => {
    expect(() =>
      resourceTypeLookup([type('postgres', ['postgres'], false)]),
    ).toThrow(/'postgres' declares 'score' but not 'environmentCopy'/);
  });
});

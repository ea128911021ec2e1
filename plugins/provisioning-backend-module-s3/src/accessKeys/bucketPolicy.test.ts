import {
  actionsFor,
  grantStatement,
  hasGrant,
  parsePolicy,
  withGrant,
  withoutGrant,
} from './bucketPolicy';

describe('bucket policies', () => {
  const theirs = {
    Effect: 'Allow',
    Principal: { AWS: ['SOMEONE', 'ELSE'] },
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::b/*',
  };

  it('grants a key objects and listing, never the bucket itself', () => {
    const statement = grantStatement('b', 'PVDKEY', 'read-write');
    expect(statement).toEqual({
      Sid: 'PavedReadWritePVDKEY',
      Effect: 'Allow',
      Principal: { AWS: ['PVDKEY'] },
      Action: actionsFor('read-write'),
      Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
    });
    expect(actionsFor('read-only')).toEqual(
      expect.arrayContaining(['s3:GetObject', 's3:ListBucket']),
    );
    for (const access of ['read-only', 'read-write'] as const) {
      expect(
        actionsFor(access).filter(a =>
          /Bucket(Policy|Tagging)$|^s3:DeleteBucket$|Versioning|Acl/.test(a),
        ),
      ).toEqual([]);
    }
    expect(
      actionsFor('read-only').filter(a => /Put|Delete|Abort/.test(a)),
    ).toEqual([]);
  });

  it("replaces a key's statement and keeps everyone else's", () => {
    const readOnly = grantStatement('b', 'PVDKEY', 'read-only');
    const readWrite = grantStatement('b', 'PVDKEY', 'read-write');
    const first = withGrant(
      { Version: '2012-10-17', Statement: [theirs] },
      readOnly,
    );
    expect(first.Statement).toEqual([theirs, readOnly]);
    expect(hasGrant(first, readOnly)).toBe(true);
    expect(hasGrant(first, readWrite)).toBe(false);
    const second = withGrant(first, readWrite);
    expect(second.Statement).toEqual([theirs, readWrite]);
    expect(withoutGrant(second, 'PVDKEY')).toEqual({
      Version: '2012-10-17',
      Statement: [theirs],
    });
    expect(
      withoutGrant({ Version: '2012-10-17', Statement: [readOnly] }, 'PVDKEY'),
    ).toBeUndefined();
  });

  it('reads a policy back whatever order or spelling the server keeps', () => {
    const statement = grantStatement('b', 'PVDKEY', 'read-only');
    const stored = JSON.stringify({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: 'PVDKEY' },
          Action: [...(statement.Action as string[])].reverse(),
          Resource: [...(statement.Resource as string[])].reverse(),
        },
      ],
    });
    expect(hasGrant(parsePolicy(stored), statement)).toBe(true);
    expect(parsePolicy(undefined)).toBeUndefined();
    expect(() => parsePolicy('{not json')).toThrow();
  });
});

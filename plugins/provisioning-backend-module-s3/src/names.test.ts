import { bucketNameValidator, bucketNames, keyNameOf } from './names';

describe('bucket names', () => {
  const validate = bucketNameValidator('');

  it('accepts request names that are S3 bucket names', () => {
    for (const name of ['abc', 'orders-images', '1a2', `b${'c'.repeat(62)}`]) {
      expect([name, validate(name)]).toEqual([name, undefined]);
    }
    expect(bucketNames('', 'orders-images')).toEqual({
      bucket: 'orders-images',
      secretName: 'orders-images-s3',
    });
  });

  it.each([
    ['ab', /must have 3 to 63 characters/],
    ['a'.repeat(64), /must have 3 to 63 characters/],
    ['xn--bcher-kva', /starts with 'xn--', which S3 reserves/],
    ['sthree-data', /starts with 'sthree-'/],
    ['amzn-s3-demo-bucket', /starts with 'amzn-s3-demo-'/],
    ['images-s3alias', /ends with '-s3alias', which S3 reserves/],
    ['images--ol-s3', /ends with '--ol-s3'/],
    ['images--x-s3', /ends with '--x-s3'/],
    ['images--table-s3', /ends with '--table-s3'/],
    ['Images', /lowercase letters, digits and dashes/],
    ['-images', /lowercase letters, digits and dashes/],
    ['images.eu', /lowercase letters, digits and dashes/],
    ['192.168.0.1', /lowercase letters, digits and dashes/],
  ])('refuses %s', (name, problem) => {
    expect(validate(name)).toMatch(problem);
  });

  it('counts the configured prefix in, and says so', () => {
    const prefixed = bucketNameValidator('acme-');
    expect(bucketNames('acme-', 'orders')).toEqual({
      bucket: 'acme-orders',
      secretName: 'orders-s3',
    });
    // The name is a bucket name by itself, too: one rule with or without a prefix.
    expect(prefixed('ab')).toMatch(/must have 3 to 63 characters$/);
    expect(prefixed('xn--bcher-kva')).toMatch(/starts with 'xn--'/);
    expect(prefixed('a'.repeat(59))).toBe(
      `bucket 'acme-${'a'.repeat(
        59,
      )}' must have 3 to 63 characters (the name after the prefix 'acme-'; at most 58 characters)`,
    );
    expect(prefixed('a'.repeat(58))).toBeUndefined();
  });

  it('names keys after the request and their role', () => {
    expect(keyNameOf('r-1', 'owner')).toBe('owner:r-1');
    expect(keyNameOf('r-1', 'reader')).not.toBe(keyNameOf('r-1', 'owner'));
  });
});

import { ConfigReader } from '@backstage/config';
import { readDeletionRetention } from './deletionRetention';

const read = (section: object) =>
  readDeletionRetention(new ConfigReader(section), 'provisioning.x');

describe('readDeletionRetention', () => {
  it('is 7 days unless configured', () => {
    expect(read({})).toBe(7 * 24 * 3600_000);
    expect(read({ deletionRetention: { hours: 2 } })).toBe(2 * 3600_000);
    expect(read({ deletionRetention: { milliseconds: 0 } })).toBe(0);
  });

  it('refuses a negative retention, naming the key', () => {
    expect(() => read({ deletionRetention: { days: -1 } })).toThrow(
      'Invalid config: provisioning.x.deletionRetention: must not be negative',
    );
  });
});

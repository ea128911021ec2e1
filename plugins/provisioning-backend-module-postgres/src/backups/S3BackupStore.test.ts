/*
 * What only the s3 store does (its contract with the folder store is in
 * BackupStore.test.ts), on the real test S3 server.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  backupStoreFixture,
  testS3Settings,
} from '../__testUtils__/backupStores';
import { S3BackupStore, S3BackupStoreSettings } from './S3BackupStore';

jest.setTimeout(60_000);

const owner = { target: 'main', database: 'orders_db', requestId: 'r1' };

describe('S3BackupStore', () => {
  const fixture = backupStoreFixture('s3');
  const stores: S3BackupStore[] = [];
  const storeWith = (settings: Partial<S3BackupStoreSettings>) => {
    const store = new S3BackupStore({
      ...testS3Settings(fixture.bucket!),
      ...settings,
    });
    stores.push(store);
    return store;
  };

  beforeAll(() => fixture.setUp());
  afterAll(async () => {
    stores.forEach(store => store.destroy());
    await fixture.tearDown();
  });

  it('keys backups under the prefix, as the folder store lays out files', () => {
    const store = storeWith({ prefix: 'paved/backups' });
    expect(store.key({ ...owner, id: '20261120T100000250Z-1a2b' })).toBe(
      'paved/backups/main/orders_db/r1/20261120T100000250Z-1a2b.dump',
    );
  });

  it('names the bucket, and never shows the secret key, when S3 refuses', async () => {
    const secret = `wrong-${randomBytes(12).toString('hex')}`;
    const store = storeWith({ secretAccessKey: secret });
    const error = await store.list(owner).catch(e => e);
    expect(error.message).toMatch(
      /^Could not list the backups under 'main\/orders_db\/r1\/' in bucket 'paved-backups-test-[0-9a-f]{8}': /,
    );
    expect(error.message).not.toContain(secret);
    expect(error.stack ?? '').not.toContain(secret);
  });

  it('stops reading the dump when the upload fails', async () => {
    const store = storeWith({
      bucket: `paved-backups-missing-${randomBytes(4).toString('hex')}`,
    });
    // A dump that would go on for ever: only a failed upload can end it.
    const dump = Readable.from(
      (async function* endless() {
        for (;;) yield randomBytes(256 * 1024);
      })(),
    );
    const error = await store.put(owner, dump).catch(e => e);
    expect(error.message).toMatch(
      /^Could not store backup 'main\/orders_db\/r1\/\d{8}T\d{9}Z-[0-9a-f]{4}\.dump' in bucket 'paved-backups-missing-[0-9a-f]{8}': /,
    );
    expect(dump.destroyed).toBe(true);
  });
});

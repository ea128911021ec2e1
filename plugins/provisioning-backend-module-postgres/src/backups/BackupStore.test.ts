/*
 * The BackupStore contract, on a real folder and a real S3 server (a bucket of this
 * file's own).
 */
import { randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import {
  BACKUP_STORE_TYPES,
  backupStoreFixture,
} from '../__testUtils__/backupStores';
import { BackupInfo } from './BackupStore';

jest.setTimeout(60_000);

const MiB = 1024 * 1024;

/** A stream of `bytes` that fails with `error` after them. */
function failingAfter(bytes: Buffer, error: Error): Readable {
  return Readable.from(
    (async function* chunks() {
      for (let i = 0; i < bytes.length; i += 64 * 1024) {
        yield bytes.subarray(i, i + 64 * 1024);
      }
      throw error;
    })(),
  );
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

describe.each(BACKUP_STORE_TYPES)('the %s backup store', type => {
  // Small pages, so that listing five backups takes three of them on S3.
  const fixture = backupStoreFixture(type, { pageSize: 2 });
  const { store } = fixture;
  const orders = { target: 'main', database: 'orders_db', requestId: 'r1' };

  beforeAll(() => fixture.setUp());
  afterAll(() => fixture.tearDown());

  it('stores, lists newest first, opens and deletes backups', async () => {
    const owner = { ...orders, requestId: 'roundtrip' };
    const neighbour = { ...owner, database: 'invoices' };
    const made: BackupInfo[] = [];
    for (const day of [20, 22, 21, 24, 23]) {
      made.push(
        await store.put(
          owner,
          Readable.from([Buffer.from(`PGDMP day ${day}`)]),
          new Date(`2026-11-${day}T10:00:00.250Z`),
        ),
      );
    }
    await store.put(neighbour, Readable.from(['PGDMP other']));
    expect(made[0]).toEqual({
      ...owner,
      id: expect.stringMatching(/^20261120T100000250Z-[0-9a-f]{4}$/),
      createdAt: '2026-11-20T10:00:00.250Z',
      sizeBytes: 'PGDMP day 20'.length,
    });
    expect((await fixture.storedBytes(made[0])).toString()).toBe(
      'PGDMP day 20',
    );

    const listed = await store.list(owner);
    expect(listed.map(b => b.createdAt.slice(0, 10))).toEqual([
      '2026-11-24',
      '2026-11-23',
      '2026-11-22',
      '2026-11-21',
      '2026-11-20',
    ]);
    expect(listed).toContainEqual(made[0]);
    expect((await readAll(await store.open(made[1]))).toString()).toBe(
      'PGDMP day 22',
    );

    await store.delete(made[1]);
    // Deleting again is not an error.
    await store.delete(made[1]);
    expect((await store.list(owner)).map(b => b.id)).not.toContain(made[1].id);
    await expect(store.open(made[1])).rejects.toThrow();
    expect(await store.list(owner)).toHaveLength(4);
    expect(await store.list(neighbour)).toHaveLength(1);
    expect(await store.list({ ...owner, requestId: 'nobody' })).toEqual([]);
  });

  it('stores a dump larger than an upload part intact', async () => {
    const owner = { ...orders, requestId: 'large' };
    const bytes = randomBytes(12 * MiB);
    const backup = await store.put(owner, Readable.from([bytes]));
    expect(backup.sizeBytes).toBe(bytes.length);
    expect((await store.list(owner))[0].sizeBytes).toBe(bytes.length);
    expect((await readAll(await store.open(backup))).equals(bytes)).toBe(true);
  });

  it.each([
    ['before the first upload part', 1 * MiB],
    ['after several upload parts', 11 * MiB],
  ])(
    'keeps nothing when the dump fails %s, and fails with its error',
    async (_when, size) => {
      const owner = { ...orders, requestId: `failed-${size}` };
      const error = new Error('pg_dump failed (exit code 1)');
      await expect(
        store.put(owner, failingAfter(randomBytes(size), error)),
      ).rejects.toThrow('pg_dump failed (exit code 1)');
      expect(await store.list(owner)).toEqual([]);
      expect(await fixture.leftovers()).toEqual([]);
    },
  );

  it('keeps nothing when the dump fails before the store reads it, and fails with its error', async () => {
    // pg_dump refused at once (a database dropped since it was listed) while the
    // store still prepares: the error must reach put, not end the process.
    const owner = { ...orders, requestId: 'failed-at-once' };
    const dump = new PassThrough();
    const stored = store.put(owner, dump);
    dump.destroy(new Error('pg_dump failed (exit code 1)'));
    await expect(stored).rejects.toThrow('pg_dump failed (exit code 1)');
    expect(await store.list(owner)).toEqual([]);
    expect(await fixture.leftovers()).toEqual([]);
  });

  it('refuses owners and ids that are not safe as paths or keys', async () => {
    const unsafe = { ...orders, database: '../orders' };
    await expect(store.list(unsafe)).rejects.toThrow(
      "'../orders' cannot be part of a backup path",
    );
    await expect(store.put(unsafe, Readable.from(['x']))).rejects.toThrow(
      "'../orders' cannot be part of a backup path",
    );
    const forged = {
      ...orders,
      id: '../../x',
      createdAt: '2026-11-20T10:00:00.000Z',
      sizeBytes: 1,
    };
    await expect(store.open(forged)).rejects.toThrow(
      "'../../x' is not a backup id",
    );
    await expect(store.delete(forged)).rejects.toThrow(
      "'../../x' is not a backup id",
    );
  });
});

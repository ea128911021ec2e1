import { ObservableCallback, ObservableGauge } from '@opentelemetry/api';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { PostgresAdmin } from '../PostgresAdmin';
import {
  DatabaseOwners,
  lastBackupObservations,
  observeLastBackups,
} from './backupMetrics';
import { FolderBackupStore } from './FolderBackupStore';

describe('the last-backup gauge', () => {
  let folder: string;
  let store: FolderBackupStore;
  const orders = { target: 'main', database: 'orders_db', requestId: 'r1' };
  const invoices = { target: 'main', database: 'invoices', requestId: 'r2' };
  const fresh = { target: 'other', database: 'fresh_db', requestId: 'r3' };

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'paved-metrics-'));
    store = new FolderBackupStore(folder);
    const put = (owner: typeof orders, at: string) =>
      store.put(owner, Readable.from(['PGDMP']), new Date(at));
    await put(orders, '2026-11-20T10:00:00.000Z');
    await put(orders, '2026-11-21T10:00:00.750Z');
    await put(invoices, '2026-11-19T03:00:00.000Z');
  });

  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("observes each database's newest backup in seconds, with its owner when known", async () => {
    const owners = new DatabaseOwners();
    owners.remember({ id: 'r1', owner: 'group:default/checkout-team' });
    expect(
      await lastBackupObservations({
        store,
        databases: [orders, invoices, fresh],
        ownerOf: id => owners.ownerOf(id),
      }),
    ).toEqual([
      {
        value: Date.parse('2026-11-21T10:00:00Z') / 1000,
        attributes: {
          database: 'orders_db',
          owner: 'group:default/checkout-team',
        },
      },
      {
        value: Date.parse('2026-11-19T03:00:00Z') / 1000,
        attributes: { database: 'invoices', owner: 'unknown' },
      },
    ]);
  });

  it('registers an observable gauge that lists the live databases of every target when collected', async () => {
    let callback: ObservableCallback | undefined;
    const meter = {
      createObservableGauge: jest.fn(
        () =>
          ({
            addCallback: (cb: ObservableCallback) => {
              callback = cb;
            },
            removeCallback: () => {},
          } as unknown as ObservableGauge),
      ),
    };
    const admin = (id: string, live: () => Promise<unknown>) =>
      ({
        target: { id },
        listLiveDatabases: live,
      } as unknown as PostgresAdmin);
    const owners = new DatabaseOwners();
    owners.remember({ id: 'r2', owner: 'group:default/billing-team' });
    const onError = jest.fn();
    observeLastBackups({
      meter: meter as any,
      store,
      admins: [
        admin('main', async () => [
          { database: 'orders_db', requestId: 'r1' },
          { database: 'invoices', requestId: 'r2' },
        ]),
        admin('down', async () => {
          throw new Error('connection refused');
        }),
      ],
      owners,
      onError,
    });
    expect(meter.createObservableGauge).toHaveBeenCalledWith(
      'paved_postgres_last_backup_timestamp_seconds',
      expect.objectContaining({ unit: 's' }),
    );

    const observed: Array<[number, object]> = [];
    const collect = async () => {
      observed.length = 0;
      await callback!({
        observe: (v: number, a?: object) => {
          observed.push([v, a ?? {}]);
        },
      });
      return [...observed];
    };
    expect(await collect()).toEqual([
      [
        Date.parse('2026-11-21T10:00:00Z') / 1000,
        { database: 'orders_db', owner: 'unknown' },
      ],
      [
        Date.parse('2026-11-19T03:00:00Z') / 1000,
        { database: 'invoices', owner: 'group:default/billing-team' },
      ],
    ]);
    expect(onError).toHaveBeenCalledWith('down', expect.any(Error));
    // Collected again: the same targets are listed again (not a spent iterator).
    owners.remember({ id: 'r1', owner: 'group:default/checkout-team' });
    expect((await collect())[0][1]).toEqual({
      database: 'orders_db',
      owner: 'group:default/checkout-team',
    });
  });
});

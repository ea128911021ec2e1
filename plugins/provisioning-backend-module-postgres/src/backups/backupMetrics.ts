import { Meter } from '@opentelemetry/api';
import { LAST_BACKUP_METRIC } from '../alerts';
import { PostgresAdmin } from '../PostgresAdmin';
import { BackupOwner, BackupStore } from './BackupStore';

/** The meter of this module's metrics. */
export const METER_NAME = 'paved-provisioning-postgres';

/** The owner label of a database whose request the portal has not seen since it started. */
const UNKNOWN_OWNER = 'unknown';

/** One value of the last-backup gauge. */
export interface BackupObservation {
  /** When the newest backup was made, in seconds since the epoch. */
  value: number;
  attributes: { database: string; owner: string };
}

/**
 * The owning group of each request's database, as the type's steps and status hook
 * see them: the catalog on the target knows a database's request, not its owner.
 */
export class DatabaseOwners {
  private readonly owners = new Map<string, string>();

  remember(request: { id: string; owner: string }): void {
    this.owners.set(request.id, request.owner);
  }

  forget(requestId: string): void {
    this.owners.delete(requestId);
  }

  ownerOf(requestId: string): string | undefined {
    return this.owners.get(requestId);
  }
}

/**
 * The gauge's values: the time of the newest backup of each database that has one. A
 * database without any backup has no value (the alert cannot fire before the first
 * backup is due).
 */
export async function lastBackupObservations(options: {
  store: BackupStore;
  databases: BackupOwner[];
  ownerOf: (requestId: string) => string | undefined;
}): Promise<BackupObservation[]> {
  const observations: BackupObservation[] = [];
  for (const database of options.databases) {
    const [newest] = await options.store.list(database);
    if (newest) {
      observations.push({
        value: Math.floor(new Date(newest.createdAt).getTime() / 1000),
        attributes: {
          database: database.database,
          owner: options.ownerOf(database.requestId) ?? UNKNOWN_OWNER,
        },
      });
    }
  }
  return observations;
}

/**
 * Publishes `paved_postgres_last_backup_timestamp_seconds{database, owner}` as an
 * OpenTelemetry observable gauge; the PostgresBackupTooOld alert reads it. It is read
 * from the targets and the backup store when the metrics are collected, so every
 * replica reports the same values; without an exporter (the operator's choice) it is
 * never collected.
 */
export function observeLastBackups(options: {
  meter: Meter;
  store: BackupStore;
  admins: Iterable<PostgresAdmin>;
  owners: DatabaseOwners;
  onError: (target: string, error: unknown) => void;
}): void {
  const gauge = options.meter.createObservableGauge(LAST_BACKUP_METRIC, {
    description:
      'When the newest backup of a provisioned PostgreSQL database was made, in seconds since the epoch',
    unit: 's',
  });
  gauge.addCallback(async result => {
    const databases: BackupOwner[] = [];
    for (const admin of options.admins) {
      try {
        for (const live of await admin.listLiveDatabases()) {
          databases.push({ target: admin.target.id, ...live });
        }
      } catch (error) {
        options.onError(admin.target.id, error);
      }
    }
    const observations = await lastBackupObservations({
      store: options.store,
      databases,
      ownerOf: requestId => options.owners.ownerOf(requestId),
    });
    for (const { value, attributes } of observations) {
      result.observe(value, attributes);
    }
  });
}

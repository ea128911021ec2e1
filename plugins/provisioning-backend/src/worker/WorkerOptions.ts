import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { RetryPolicy } from './backoff';

export interface WorkerOptions {
  /** Unique per process; stored as the lease owner. */
  workerId: string;
  enabled: boolean;
  concurrency: number;
  pollIntervalMs: number;
  /** How long a claim holds without a heartbeat; another worker resumes after it. */
  leaseMs: number;
  heartbeatMs: number;
  /** How long to wait before asking `observe` again. */
  observeIntervalMs: number;
  /** How long `stop` waits for running steps to end after aborting them. */
  shutdownGraceMs: number;
  retry: RetryPolicy;
}

export function readMs(
  config: Config | undefined,
  key: string,
  fallback: number,
) {
  return config?.has(key)
    ? durationToMilliseconds(readDurationFromConfig(config, { key }))
    : fallback;
}

/** `provisioning.worker` (see config.d.ts), with defaults. */
export function readWorkerOptions(
  config: Config,
  overrides: Partial<WorkerOptions> = {},
): WorkerOptions {
  const worker = config.getOptionalConfig('provisioning.worker');
  const leaseMs = readMs(worker, 'leaseDuration', 60_000);
  return {
    workerId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    enabled: worker?.getOptionalBoolean('enabled') ?? true,
    concurrency: worker?.getOptionalNumber('concurrency') ?? 4,
    pollIntervalMs: readMs(worker, 'pollInterval', 5_000),
    leaseMs,
    heartbeatMs: Math.max(Math.floor(leaseMs / 3), 1),
    observeIntervalMs: readMs(worker, 'observeInterval', 15_000),
    shutdownGraceMs: 10_000,
    retry: {
      maxAttempts: worker?.getOptionalNumber('retry.maxAttempts') ?? 5,
      initialBackoffMs: readMs(worker, 'retry.initialBackoff', 10_000),
      maxBackoffMs: readMs(worker, 'retry.maxBackoff', 600_000),
    },
    ...overrides,
  };
}

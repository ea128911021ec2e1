import {
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { readMs } from '../worker/WorkerOptions';
import { DriftService } from './DriftService';
import { ExpiryService } from './ExpiryService';

/** `provisioning.expiry.warnBefore`, in milliseconds. */
export function readWarnBeforeMs(config: RootConfigService): number {
  return readMs(
    config.getOptionalConfig('provisioning.expiry'),
    'warnBefore',
    2 * 3_600_000,
  );
}

/**
 * The engine's scheduled work beside the worker: the expiry sweep and the drift
 * reconciliation. Global tasks: one backend of many runs each at a time.
 */
export async function scheduleHousekeeping(options: {
  config: RootConfigService;
  scheduler: SchedulerService;
  logger: LoggerService;
  expiry: ExpiryService;
  drift: DriftService;
}): Promise<void> {
  const { config, scheduler, logger } = options;
  const expiryMs = readMs(
    config.getOptionalConfig('provisioning.expiry'),
    'frequency',
    60_000,
  );
  const reconcileMs = readMs(
    config.getOptionalConfig('provisioning.reconcile'),
    'frequency',
    60_000,
  );
  await scheduler.scheduleTask({
    id: 'provisioning-expiry',
    frequency: { milliseconds: expiryMs },
    timeout: { minutes: 5 },
    initialDelay: { seconds: 10 },
    scope: 'global',
    fn: async () => {
      const { warned, expired } = await options.expiry.sweep();
      if (warned + expired > 0) {
        logger.info(
          `Expiry: warned the owners of ${warned} resources, tearing down ${expired}`,
        );
      }
    },
  });
  await scheduler.scheduleTask({
    id: 'provisioning-reconcile',
    frequency: { milliseconds: reconcileMs },
    timeout: { minutes: 10 },
    initialDelay: { seconds: 15 },
    scope: 'global',
    fn: async signal => {
      const { checked, corrected, failed } = await options.drift.reconcileAll(
        signal,
      );
      if (corrected + failed > 0) {
        logger.info(
          `Drift: checked ${checked} resources, corrected ${corrected} objects, ${failed} could not be checked`,
        );
      }
    },
  });
}

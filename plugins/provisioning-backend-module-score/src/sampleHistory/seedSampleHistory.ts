import { LoggerService } from '@backstage/backend-plugin-api';
import { DeploymentStore } from '../database/DeploymentStore';
import { sampleHistory } from './sampleHistory';

/**
 * Gives the sample organisation its deployment history, through the same records
 * the workload type writes (so the DORA charts are computed, not painted), once: a
 * store that has any record is left alone. Turned on by
 * `provisioning.score.sampleHistory: true` (the `./paved start` config only).
 */
export async function seedSampleHistory(options: {
  store: DeploymentStore;
  logger: LoggerService;
  now?: Date;
}): Promise<number> {
  const { store, logger } = options;
  const [any] = await store.list({ limit: 1 });
  if (any) {
    return 0;
  }
  const ids = new Map<string, string>();
  const history = sampleHistory({ now: options.now ?? new Date() });
  for (const sample of history) {
    const {
      key,
      promotedFromKey,
      rollbackOfKey,
      status,
      reason,
      finishedAt,
      ...deployment
    } = sample;
    const promotedFrom = promotedFromKey && ids.get(promotedFromKey);
    const rollbackOf = rollbackOfKey && ids.get(rollbackOfKey);
    const record = await store.start({
      ...deployment,
      ...(promotedFrom ? { promotedFrom } : {}),
      ...(rollbackOf ? { rollbackOf } : {}),
    });
    ids.set(key, record.id);
    await store.finish(record.id, {
      status,
      ...(reason ? { reason } : {}),
      finishedAt,
    });
  }
  logger.info(
    `Recorded the sample organisation's deployment history: ${history.length} deployments`,
  );
  return history.length;
}

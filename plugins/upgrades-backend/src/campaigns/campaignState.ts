import {
  CampaignCounts,
  CampaignTarget,
  ChangeRequest,
} from '@paved/plugin-upgrades-common';
import { StoredTarget } from './CampaignStore';

/**
 * Each target with the state of its change: the newest of the campaign's changes for
 * the service, else the change a run recorded for it (opened by its owner or another
 * campaign before this one, and returned by the proposer as the same active change),
 * else not started.
 */
export function targetsWithState(
  targets: StoredTarget[],
  campaignChanges: ChangeRequest[],
  otherChanges: ChangeRequest[] = [],
): CampaignTarget[] {
  const newest = new Map<string, ChangeRequest>();
  const byId = new Map<string, ChangeRequest>();
  for (const change of otherChanges) byId.set(change.id, change);
  for (const change of campaignChanges) {
    byId.set(change.id, change);
    const current = newest.get(change.entityRef);
    if (
      !current ||
      Date.parse(change.createdAt) > Date.parse(current.createdAt)
    ) {
      newest.set(change.entityRef, change);
    }
  }
  return targets.map(target => {
    const change =
      newest.get(target.entityRef) ??
      (target.changeId ? byId.get(target.changeId) : undefined);
    return {
      entityRef: target.entityRef,
      ...(target.owner ? { owner: target.owner } : {}),
      fromVersion: target.fromVersion,
      state: change?.state ?? 'not-started',
      ...(change ? { changeId: change.id } : {}),
      ...(target.problem ? { problem: target.problem } : {}),
    };
  });
}

/** Each service counted once; a change still being written counts as open. */
export function countsOf(targets: CampaignTarget[]): CampaignCounts {
  const counts: CampaignCounts = {
    total: targets.length,
    notStarted: 0,
    open: 0,
    conflicted: 0,
    merged: 0,
    closed: 0,
  };
  for (const { state } of targets) {
    if (state === 'not-started') counts.notStarted += 1;
    else if (state === 'proposing' || state === 'open') counts.open += 1;
    else counts[state] += 1;
  }
  return counts;
}

import { Campaign, CampaignCounts } from '@paved/plugin-upgrades-common';

/** A campaign as stored, without what is computed from its changes. */
export type StoredCampaign = Omit<Campaign, 'counts'>;

/** A service a campaign found, as stored (its state comes from its change). */
export interface StoredTarget {
  entityRef: string;
  owner?: string;
  /** The version it was on when the campaign first found it. */
  fromVersion: string;
  /** The change a run opened or found for it. */
  changeId?: string;
  problem?: string;
  updatedAt: string;
}

export type ReminderKind = 'week' | 'day' | 'overdue';

/** Where campaigns, their targets, progress snapshots and reminders are kept. */
export interface CampaignStore {
  create(campaign: StoredCampaign): Promise<StoredCampaign>;
  get(id: string): Promise<StoredCampaign | undefined>;
  /** Newest first. */
  list(): Promise<StoredCampaign[]>;
  setLastRun(id: string, at: string): Promise<void>;

  /**
   * Records services a run found. A service already recorded keeps its fromVersion
   * (the version it was on when first found); its owner follows the catalog.
   */
  addTargets(
    campaignId: string,
    targets: Array<{ entityRef: string; owner?: string; fromVersion: string }>,
  ): Promise<void>;
  /** Sorted by entity ref. */
  targets(campaignId: string): Promise<StoredTarget[]>;
  /** What the last proposal for a target gave: its change, or why there is none. */
  setTargetOutcome(
    campaignId: string,
    entityRef: string,
    outcome: { changeId: string } | { problem: string },
  ): Promise<void>;

  /** `at` defaults to the store's clock. */
  addSnapshot(
    campaignId: string,
    counts: CampaignCounts,
    at?: string,
  ): Promise<void>;
  /** Oldest first. */
  snapshots(
    campaignId: string,
  ): Promise<Array<{ at: string; counts: CampaignCounts }>>;

  /**
   * Claims the reminder of `kind` for a target: true the first time, false ever
   * after (so a reminder is never sent twice, even by two replicas at once).
   */
  claimReminder(
    campaignId: string,
    entityRef: string,
    kind: ReminderKind,
    at?: string,
  ): Promise<boolean>;
}

import { CampaignCounts } from '@paved/plugin-upgrades-common';
import { Knex } from 'knex';
import {
  CampaignStore,
  ReminderKind,
  StoredCampaign,
  StoredTarget,
} from './CampaignStore';

interface CampaignRow {
  id: string;
  title: string;
  description: string | null;
  template_ref: string;
  from_range: string;
  to_version: string;
  deadline: string;
  created_by: string;
  created_at: string | number;
  last_run_at: string | number | null;
}

interface TargetRow {
  campaign_id: string;
  entity_ref: string;
  owner: string | null;
  from_version: string;
  change_id: string | null;
  problem: string | null;
  updated_at: string | number;
}

// bigint columns come back as strings from Postgres, as numbers from SQLite
const iso = (ms: string | number) => new Date(Number(ms)).toISOString();

const toCampaign = (row: CampaignRow): StoredCampaign => ({
  id: row.id,
  title: row.title,
  ...(row.description !== null ? { description: row.description } : {}),
  templateRef: row.template_ref,
  fromRange: row.from_range,
  toVersion: row.to_version,
  deadline: row.deadline,
  createdBy: row.created_by,
  createdAt: iso(row.created_at),
  ...(row.last_run_at !== null ? { lastRunAt: iso(row.last_run_at) } : {}),
});

const toTarget = (row: TargetRow): StoredTarget => ({
  entityRef: row.entity_ref,
  ...(row.owner !== null ? { owner: row.owner } : {}),
  fromVersion: row.from_version,
  ...(row.change_id !== null ? { changeId: row.change_id } : {}),
  ...(row.problem !== null ? { problem: row.problem } : {}),
  updatedAt: iso(row.updated_at),
});

/** Campaigns in the upgrades plugin's database (migrations/20261207020000_campaigns.js). */
export class DatabaseCampaignStore implements CampaignStore {
  /** The database must be migrated already (the plugin does it on start). */
  static create(options: { knex: Knex; clock?: () => Date }) {
    return new DatabaseCampaignStore(
      options.knex,
      options.clock ?? (() => new Date()),
    );
  }

  private constructor(
    private readonly knex: Knex,
    private readonly clock: () => Date,
  ) {}

  private now() {
    return this.clock().getTime();
  }

  async create(campaign: StoredCampaign) {
    await this.knex('upgrade_campaigns').insert({
      id: campaign.id,
      title: campaign.title,
      description: campaign.description ?? null,
      template_ref: campaign.templateRef,
      from_range: campaign.fromRange,
      to_version: campaign.toVersion,
      deadline: campaign.deadline,
      created_by: campaign.createdBy,
      created_at: Date.parse(campaign.createdAt),
      last_run_at: campaign.lastRunAt ? Date.parse(campaign.lastRunAt) : null,
    });
    return (await this.get(campaign.id))!;
  }

  async get(id: string) {
    const row: CampaignRow | undefined = await this.knex('upgrade_campaigns')
      .where({ id })
      .first();
    return row && toCampaign(row);
  }

  async list() {
    const rows: CampaignRow[] = await this.knex('upgrade_campaigns').orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'asc' },
    ]);
    return rows.map(toCampaign);
  }

  async setLastRun(id: string, at: string) {
    await this.knex('upgrade_campaigns')
      .where({ id })
      .update({ last_run_at: Date.parse(at) });
  }

  async addTargets(
    campaignId: string,
    targets: Array<{ entityRef: string; owner?: string; fromVersion: string }>,
  ) {
    if (targets.length === 0) return;
    const now = this.now();
    // chunks keep SQLite under its bound-parameter limit
    for (let i = 0; i < targets.length; i += 100) {
      await this.knex('upgrade_campaign_targets')
        .insert(
          targets.slice(i, i + 100).map(target => ({
            campaign_id: campaignId,
            entity_ref: target.entityRef,
            owner: target.owner ?? null,
            from_version: target.fromVersion,
            change_id: null,
            problem: null,
            updated_at: now,
          })),
        )
        .onConflict(['campaign_id', 'entity_ref'])
        .merge(['owner']);
    }
  }

  async targets(campaignId: string) {
    const rows: TargetRow[] = await this.knex('upgrade_campaign_targets')
      .where({ campaign_id: campaignId })
      .orderBy('entity_ref');
    return rows.map(toTarget);
  }

  async setTargetOutcome(
    campaignId: string,
    entityRef: string,
    outcome: { changeId: string } | { problem: string },
  ) {
    await this.knex('upgrade_campaign_targets')
      .where({ campaign_id: campaignId, entity_ref: entityRef })
      .update(
        'changeId' in outcome
          ? {
              change_id: outcome.changeId,
              problem: null,
              updated_at: this.now(),
            }
          : { problem: outcome.problem, updated_at: this.now() },
      );
  }

  async addSnapshot(campaignId: string, counts: CampaignCounts, at?: string) {
    await this.knex('upgrade_campaign_snapshots').insert({
      campaign_id: campaignId,
      at: at ? Date.parse(at) : this.now(),
      counts: JSON.stringify(counts),
    });
  }

  async snapshots(campaignId: string) {
    const rows: Array<{ at: string | number; counts: string }> =
      await this.knex('upgrade_campaign_snapshots')
        .where({ campaign_id: campaignId })
        .orderBy([
          { column: 'at', order: 'asc' },
          { column: 'id', order: 'asc' },
        ]);
    return rows.map(row => ({
      at: iso(row.at),
      counts: JSON.parse(row.counts) as CampaignCounts,
    }));
  }

  async claimReminder(
    campaignId: string,
    entityRef: string,
    kind: ReminderKind,
    at?: string,
  ) {
    const inserted = await this.knex('upgrade_campaign_reminders')
      .insert({
        campaign_id: campaignId,
        entity_ref: entityRef,
        kind,
        sent_at: at ? Date.parse(at) : this.now(),
      })
      .onConflict(['campaign_id', 'entity_ref', 'kind'])
      .ignore()
      .returning('kind');
    return inserted.length > 0;
  }
}

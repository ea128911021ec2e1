import {
  AuditorService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  InputError,
  isError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { actorOf, audited, parseInput } from '@paved/backend-plugin-utils';
import {
  Campaign,
  CampaignDetails,
  CampaignTarget,
  CampaignTargetState,
  normalizeTemplateRef,
  TEMPLATE_ANNOTATION,
  TEMPLATE_VERSION_ANNOTATION,
  upgradesCampaignManagePermission,
} from '@paved/plugin-upgrades-common';
import { randomUUID } from 'node:crypto';
import semver from 'semver';
import { z } from 'zod';
import { ChangeProposer, TemplateVersions } from '../ports';
import { CampaignNotifier } from './CampaignNotifier';
import { CampaignStore, StoredCampaign, StoredTarget } from './CampaignStore';
import { countsOf, targetsWithState } from './campaignState';
import { mapWithConcurrency } from './mapWithConcurrency';

/** Proposals at once: each renders the template twice and runs git. */
const PROPOSALS_AT_ONCE = 4;

/**
 * The targets a run proposes: those without a change, and those whose change a crash
 * left `proposing` (proposing again finishes it). A change the owners closed is
 * their decision: the campaign does not propose it again, the target counts as closed.
 */
const PROPOSED_BY_A_RUN: CampaignTargetState[] = ['not-started', 'proposing'];

const CAMPAIGN_ID = /^[A-Za-z0-9-]{1,36}$/;

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

const createSchema = z.object({
  title: z.string().trim().min(1, 'is required').max(200),
  description: z.string().trim().max(5000).optional(),
  templateRef: z.string().trim().min(1, 'is required').max(255),
  toVersion: z.string().trim().min(1).max(100).optional(),
  fromRange: z.string().trim().min(1).max(255).optional(),
  deadline: z
    .string()
    .regex(isoDate, 'must be a date, YYYY-MM-DD')
    .refine(value => {
      // Date.parse rolls 2027-02-30 over to March 2: compare it back
      const ms = Date.parse(`${value}T00:00:00Z`);
      return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(value);
    }, 'is not a date'),
});

const invalid = (field: string, message: string) =>
  new InputError(`Invalid campaign: ${field}: ${message}`);

/** The entity's owning group, from its `ownedBy` relation or `spec.owner`. */
function ownerOf(entity: Entity): string | undefined {
  const relation = entity.relations?.find(r => r.type === RELATION_OWNED_BY);
  if (relation) return relation.targetRef;
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

/** A recorded version as semver; "1.0" and the like are coerced. */
function versionOf(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  return semver.valid(raw) ?? semver.coerce(raw)?.version ?? undefined;
}

const todayOf = (now: Date) => now.toISOString().slice(0, 10);

/**
 * Campaigns: a platform team moves every service of a template below a version to
 * that version by a deadline. A run finds the services in the catalog, opens a
 * change for each through the {@link ChangeProposer} (idempotent per service and
 * version, so re-running never duplicates), records what failed as the service's
 * problem, snapshots the progress and tells the owners of newly opened changes.
 */
export class CampaignService {
  private readonly notifier: CampaignNotifier;

  constructor(
    private readonly deps: {
      store: CampaignStore;
      changes: ChangeProposer;
      templates: TemplateVersions;
      catalog: CatalogService;
      permissions: PermissionsService;
      auditor: AuditorService;
      notifications: NotificationService;
      logger: LoggerService;
      clock?: () => Date;
    },
  ) {
    this.notifier = new CampaignNotifier(deps.notifications, deps.logger);
  }

  private now() {
    return this.deps.clock?.() ?? new Date();
  }

  async create(
    body: unknown,
    credentials: BackstageCredentials,
  ): Promise<Campaign> {
    return audited(
      this.deps.auditor,
      {
        eventId: 'upgrade-campaign-create',
        request: undefined,
        meta: {
          actor: actorOf(credentials),
          templateRef:
            typeof (body as any)?.templateRef === 'string'
              ? (body as any).templateRef
              : null,
        },
      },
      async () => {
        await this.authorize(credentials);
        const input = parseInput(createSchema, body, 'campaign');
        const templateRef = normalizeTemplateRef(input.templateRef);
        if (!templateRef) {
          throw invalid(
            'templateRef',
            `'${input.templateRef}' is not an entity ref`,
          );
        }
        const released = await this.deps.templates
          .list(templateRef)
          .catch(error => {
            if (isError(error) && error.name === 'NotFoundError') {
              throw invalid(
                'templateRef',
                `there is no template '${templateRef}' in the catalog`,
              );
            }
            throw error;
          });
        const toVersion = input.toVersion ?? released.latest;
        if (!released.versions.some(v => v.version === toVersion)) {
          throw invalid(
            'toVersion',
            `${toVersion} is not a released version of ${templateRef} (released: ${released.versions
              .map(v => v.version)
              .join(', ')})`,
          );
        }
        const fromRange = input.fromRange ?? `<${toVersion}`;
        if (semver.validRange(fromRange) === null) {
          throw invalid('fromRange', `'${fromRange}' is not a semver range`);
        }
        if (semver.satisfies(toVersion, fromRange)) {
          throw invalid(
            'fromRange',
            `'${fromRange}' includes the version to move to, ${toVersion}`,
          );
        }
        const now = this.now();
        if (input.deadline < todayOf(now)) {
          throw invalid('deadline', `${input.deadline} is in the past`);
        }
        const stored = await this.deps.store.create({
          id: randomUUID(),
          title: input.title,
          ...(input.description ? { description: input.description } : {}),
          templateRef,
          fromRange,
          toVersion,
          deadline: input.deadline,
          createdBy: actorOf(credentials),
          createdAt: now.toISOString(),
        });
        return this.toCampaign(stored, []);
      },
      campaign => ({ campaignId: campaign.id, toVersion: campaign.toVersion }),
    );
  }

  async list(): Promise<{ items: Campaign[] }> {
    const campaigns = await this.deps.store.list();
    const items = await Promise.all(
      campaigns.map(async campaign =>
        this.toCampaign(campaign, await this.targetsOf(campaign)),
      ),
    );
    return { items };
  }

  async get(id: string): Promise<CampaignDetails> {
    const campaign = await this.find(id);
    const targets = await this.targetsOf(campaign);
    const snapshots = await this.deps.store.snapshots(id);
    const summary = this.toCampaign(campaign, targets);
    return {
      ...summary,
      targets,
      progress: [
        ...snapshots,
        { at: this.now().toISOString(), counts: summary.counts },
      ],
    };
  }

  async run(
    id: string,
    credentials: BackstageCredentials,
  ): Promise<CampaignDetails> {
    return audited(
      this.deps.auditor,
      {
        eventId: 'upgrade-campaign-run',
        request: undefined,
        meta: { actor: actorOf(credentials), campaignId: id },
      },
      async () => {
        await this.authorize(credentials);
        const campaign = await this.find(id);
        const found = await this.findTargets(campaign, credentials);
        await this.deps.store.addTargets(id, found);

        const stored = await this.deps.store.targets(id);
        const current = await this.targetsOf(campaign, stored);
        const state = new Map(current.map(t => [t.entityRef, t.state]));
        const pending = stored.filter(target =>
          PROPOSED_BY_A_RUN.includes(state.get(target.entityRef)!),
        );
        await mapWithConcurrency(pending, PROPOSALS_AT_ONCE, target =>
          this.propose(campaign, target, credentials),
        );
        await this.deps.store.setLastRun(id, this.now().toISOString());
        const { counts } = await this.get(id);
        await this.deps.store.addSnapshot(id, counts);
        return this.get(id);
      },
      details => ({
        targets: details.counts.total,
        notStarted: details.counts.notStarted,
        problems: details.targets.filter(t => t.problem).length,
      }),
    );
  }

  /** One service's proposal: a failure is its problem, never the run's. */
  private async propose(
    campaign: StoredCampaign,
    target: StoredTarget,
    credentials: BackstageCredentials,
  ) {
    try {
      const { change, created } = await this.deps.changes.propose({
        entityRef: target.entityRef,
        toVersion: campaign.toVersion,
        campaignId: campaign.id,
        credentials,
      });
      await this.deps.store.setTargetOutcome(campaign.id, target.entityRef, {
        changeId: change.id,
      });
      if (created && target.owner) {
        await this.notifier.opened(
          campaign,
          { entityRef: target.entityRef, owner: target.owner },
          change,
        );
      }
    } catch (error) {
      const problem = isError(error) ? error.message : String(error);
      this.deps.logger.info(
        `Campaign ${campaign.id} could not open a change for ${target.entityRef}: ${problem}`,
      );
      await this.deps.store.setTargetOutcome(campaign.id, target.entityRef, {
        problem: problem.slice(0, 2000),
      });
    }
  }

  /**
   * The catalog's components made from the campaign's template at a version in its
   * range.
   */
  private async findTargets(
    campaign: StoredCampaign,
    credentials: BackstageCredentials,
  ) {
    const { items } = await this.deps.catalog.getEntities(
      {
        // the annotation is compared normalised, so it is filtered here
        filter: { kind: 'component' },
        fields: ['kind', 'metadata', 'spec.owner', 'relations'],
      },
      { credentials },
    );
    return items.flatMap(entity => {
      const annotations = entity.metadata.annotations ?? {};
      const template = normalizeTemplateRef(annotations[TEMPLATE_ANNOTATION]);
      const version = versionOf(annotations[TEMPLATE_VERSION_ANNOTATION]);
      if (
        template !== campaign.templateRef ||
        !version ||
        !semver.satisfies(version, campaign.fromRange)
      ) {
        return [];
      }
      const owner = ownerOf(entity);
      return [
        {
          entityRef: stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
          ...(owner ? { owner } : {}),
          fromVersion: version,
        },
      ];
    });
  }

  /** The targets with the state of their change (see {@link targetsWithState}). */
  private async targetsOf(
    campaign: StoredCampaign,
    stored?: StoredTarget[],
  ): Promise<CampaignTarget[]> {
    const targets = stored ?? (await this.deps.store.targets(campaign.id));
    const changes = await this.deps.changes.listChanges({
      campaignId: campaign.id,
    });
    const inCampaign = new Set(changes.map(c => c.entityRef));
    // Changes the proposer returned from outside the campaign (the owner's own, or
    // an earlier campaign's), read per service: rare.
    const outside = targets.filter(
      t => t.changeId && !inCampaign.has(t.entityRef),
    );
    const others = await Promise.all(
      outside.map(t =>
        this.deps.changes.listChanges({ entityRef: t.entityRef }),
      ),
    );
    return targetsWithState(targets, changes, others.flat());
  }

  private toCampaign(
    campaign: StoredCampaign,
    targets: CampaignTarget[],
  ): Campaign {
    return { ...campaign, counts: countsOf(targets) };
  }

  private async find(id: string) {
    // ids are UUIDs: anything else (too long for the column, a NUL) is unknown
    const campaign = CAMPAIGN_ID.test(id)
      ? await this.deps.store.get(id)
      : undefined;
    if (!campaign) throw new NotFoundError(`No campaign '${id}'`);
    return campaign;
  }

  private async authorize(credentials: BackstageCredentials) {
    const [decision] = await this.deps.permissions.authorize(
      [{ permission: upgradesCampaignManagePermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        'Only the platform team can create and run campaigns',
      );
    }
  }
}

import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  RELATION_CHILD_OF,
  RELATION_HAS_MEMBER,
  RELATION_PARENT_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { visibleEntity } from './catalogAccess';
import { ComponentScorecardDeps } from './componentScorecard';
import { readPluginJson } from './pluginReads';
import { absoluteUrl } from './refs';
import { groupInput, levelSummary, MAX_ENTITIES } from './teamScorecard';

export interface DescribeTeamDeps extends ComponentScorecardDeps {
  auth: AuthService;
  discovery: DiscoveryService;
}

/** The resources and incidents lists are cut here (both APIs page at 100). */
export const MAX_ITEMS = 100;
const TOP_FAILING_CHECKS = 5;
/** How many entity scorecards are read at once. */
const CONCURRENCY = 8;
/** Requests that stand for a resource the team has or is getting. */
const LIVE_REQUEST_STATES = [
  'pending-approval',
  'provisioning',
  'ready',
  'updating',
  'failed',
  'deleting',
];

interface ProvisioningRequest {
  id: string;
  type: string;
  name: string;
  state: string;
  expiresAt?: string;
  lastError?: string;
}

interface Incident {
  id: string;
  entityRef: string;
  severity: string;
  status: string;
  summary: string;
  openedAt: string;
}

interface Page<T> {
  items: T[];
  totalCount: number;
}

async function eachLimited<T>(items: T[], fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

const targets = (entity: Entity, type: string) =>
  (entity.relations ?? []).filter(r => r.type === type).map(r => r.targetRef);

/**
 * "What does this team own and what state is it in", in one answer: the catalog
 * entities it owns (as the caller may see them) with each scored one's level and
 * failing checks, the team's scorecard summary, its provisioned resources and its
 * open incidents. The last two come from those plugins' REST APIs on behalf of the
 * caller; when one does not answer, the rest is still returned, with a warning.
 */
export async function describeTeam(
  deps: DescribeTeamDeps,
  input: { group: string },
  credentials: BackstageCredentials,
) {
  const groupRef = groupInput(input.group);
  const group = await visibleEntity(deps.catalog, groupRef, credentials);
  // As the catalog spells it: the ref the other plugins stored as the owner.
  const owner = stringifyEntityRef(group);
  const filter = { 'relations.ownedBy': groupRef };
  const q = encodeURIComponent(owner);
  const [owned, facets, team, resources, incidents] = await Promise.all([
    deps.catalog.queryEntities(
      {
        filter,
        limit: MAX_ENTITIES,
        orderFields: [
          { field: 'kind', order: 'asc' },
          { field: 'metadata.name', order: 'asc' },
        ],
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.title',
          'spec.type',
        ],
      },
      { credentials },
    ),
    deps.catalog.getEntityFacets({ filter, facets: ['kind'] }, { credentials }),
    deps.service.teamScorecard(groupRef),
    readPluginJson<Page<ProvisioningRequest>>(
      deps,
      credentials,
      'provisioning',
      `/requests?owner=${q}&state=${LIVE_REQUEST_STATES.join(
        ',',
      )}&limit=${MAX_ITEMS}`,
    ),
    readPluginJson<Page<Incident>>(
      deps,
      credentials,
      'incidents',
      `/incidents?owner=${q}&status=open&limit=${MAX_ITEMS}`,
    ),
  ]);

  const warnings: string[] = [];
  const scored = new Set(team.entities.map(e => e.entityRef));
  const levelName = (level: number) =>
    team.levels.find(l => l.level === level)?.name ?? `Level ${level}`;
  const entities = owned.items.map(e => ({
    ref: stringifyEntityRef(e).toLocaleLowerCase('en-US'),
    entity: e,
    score: undefined as { level: number; failing: number } | undefined,
  }));
  await eachLimited(
    entities.filter(e => scored.has(e.ref)),
    async e => {
      try {
        const card = await deps.service.entityScorecard(e.ref);
        const track = card.tracks.find(t => t.trackId === team.trackId);
        if (track) {
          e.score = {
            level: track.level,
            failing: track.checks.filter(c => !c.passed).length,
          };
        }
      } catch {
        // Removed from the scores since the team's list was read: left unscored.
      }
    },
  );
  if (owned.totalItems > owned.items.length) {
    warnings.push(
      `owned: listing the first ${owned.items.length} of ${owned.totalItems} entities (byKind counts them all)`,
    );
  }
  if (!resources.ok) {
    warnings.push(
      `resources: the provisioning plugin did not answer (${resources.problem}); the team's provisioned resources are missing`,
    );
  }
  if (!incidents.ok) {
    warnings.push(
      `incidents: the incidents plugin did not answer (${incidents.problem}); the team's open incidents are missing`,
    );
  }

  const title =
    group.metadata.title ?? (group.spec?.profile as any)?.displayName;
  const parent = targets(group, RELATION_CHILD_OF)[0];
  return {
    group: {
      ref: groupRef,
      ...(typeof title === 'string' && { title }),
      ...(typeof group.spec?.type === 'string' && { type: group.spec.type }),
      ...(parent && { parent }),
      members: targets(group, RELATION_HAS_MEMBER).length,
      subgroups: targets(group, RELATION_PARENT_OF).length,
    },
    owned: {
      total: owned.totalItems,
      byKind: (facets.facets.kind ?? [])
        .map(f => ({ kind: f.value, count: f.count }))
        .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind)),
      entities: entities.map(({ ref, entity, score }) => ({
        entityRef: ref,
        kind: entity.kind,
        ...(typeof entity.spec?.type === 'string' && {
          type: entity.spec.type,
        }),
        ...(entity.metadata.title && { title: entity.metadata.title }),
        ...(score && {
          level: score.level,
          levelName: levelName(score.level),
          failingChecks: score.failing,
        }),
      })),
      capped: owned.totalItems > owned.items.length,
    },
    scorecard: {
      trackId: team.trackId,
      scored: team.total,
      summary: levelSummary(team.total, team.levels),
      levels: team.levels.filter(l => l.count),
      topFailingChecks: team.failingChecks
        .slice(0, TOP_FAILING_CHECKS)
        .map(c => ({
          checkId: c.checkId,
          title: c.title,
          failing: c.failing,
          ...(c.howToFix && { howToFix: c.howToFix }),
          ...(c.fixUrl && { fixUrl: absoluteUrl(c.fixUrl, deps.appBaseUrl) }),
        })),
    },
    ...(resources.ok && {
      resources: {
        total: resources.body.totalCount,
        items: resources.body.items.map(r => ({
          id: r.id,
          type: r.type,
          name: r.name,
          state: r.state,
          ...(r.expiresAt && { expiresAt: r.expiresAt }),
          ...(r.lastError && { lastError: r.lastError.slice(0, 300) }),
        })),
        capped: resources.body.totalCount > resources.body.items.length,
      },
    }),
    ...(incidents.ok && {
      incidents: {
        open: incidents.body.totalCount,
        items: incidents.body.items.map(i => ({
          id: i.id,
          entityRef: i.entityRef,
          severity: i.severity,
          status: i.status,
          summary: i.summary,
          openedAt: i.openedAt,
        })),
        capped: incidents.body.totalCount > incidents.body.items.length,
      },
    }),
    warnings,
  };
}

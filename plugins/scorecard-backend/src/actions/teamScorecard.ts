import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { visibleEntity, visibleRefs } from './catalogAccess';
import { ComponentScorecardDeps, trackInput } from './componentScorecard';
import { absoluteUrl, entityRefInput } from './refs';

/** Lists an agent reads stay short; the output says when one was cut. */
export const MAX_ENTITIES = 200;
export const MAX_FAILING_CHECKS = 30;

/** "group:default/x" (a Group), from an agent's `group` input: "x" alone will do. */
export function groupInput(value: string) {
  return entityRefInput(value, 'group', {
    defaultKind: 'group',
    kind: 'Group',
  });
}

/** "2 scored entities: 1 at level 1 · Ad hoc, 1 at level 3 · Self-service." */
export function levelSummary(
  total: number,
  levels: { level: number; name: string; count: number }[],
) {
  if (!total) return 'No scored entities.';
  const parts = levels
    .filter(l => l.count)
    .map(l => `${l.count} at level ${l.level} · ${l.name}`);
  return `${total} scored ${total === 1 ? 'entity' : 'entities'}: ${parts.join(
    ', ',
  )}.`;
}

/**
 * A team's scorecard as its Scorecard tab computes it (ScorecardService.teamScorecard):
 * the level distribution of the entities it owns and the checks failing most, with
 * how to fix them. The figures are the tab's; entities the caller cannot see in the
 * catalog are counted there but not listed here.
 */
export async function teamScorecard(
  deps: ComponentScorecardDeps,
  input: { group: string; trackId?: string },
  credentials: BackstageCredentials,
) {
  const groupRef = groupInput(input.group);
  const track = trackInput(deps.service, input.trackId);
  await visibleEntity(deps.catalog, groupRef, credentials, [
    'kind',
    'metadata.namespace',
    'metadata.name',
  ]);
  const team = await deps.service.teamScorecard(groupRef, track.id);
  const visible = await visibleRefs(
    deps.catalog,
    team.entities.map(e => e.entityRef),
    credentials,
  );
  const listed = team.entities.filter(e => visible.has(e.entityRef));
  const levelName = (level: number) =>
    team.levels.find(l => l.level === level)?.name ?? `Level ${level}`;
  // The lowest level counts every owned entity, as the distribution does.
  const worst = team.entities.length ? team.entities[0].level : undefined;
  return {
    group: groupRef,
    trackId: team.trackId,
    trackTitle: track.title,
    total: team.total,
    summary: levelSummary(team.total, team.levels),
    ...(worst !== undefined && {
      lowestLevel: { level: worst, name: levelName(worst) },
    }),
    levels: team.levels,
    failingChecks: team.failingChecks.slice(0, MAX_FAILING_CHECKS).map(c => ({
      checkId: c.checkId,
      title: c.title,
      level: c.level,
      failing: c.failing,
      share: Math.round(c.share * 100) / 100,
      ...(c.howToFix && { howToFix: c.howToFix }),
      ...(c.fixUrl && { fixUrl: absoluteUrl(c.fixUrl, deps.appBaseUrl) }),
    })),
    failingChecksCapped: team.failingChecks.length > MAX_FAILING_CHECKS,
    // teamScorecard sorts entities by level, lowest first: the ones to look at.
    entities: listed.slice(0, MAX_ENTITIES).map(e => ({
      entityRef: e.entityRef,
      level: e.level,
      levelName: levelName(e.level),
    })),
    entitiesCapped: listed.length > MAX_ENTITIES,
    ...(team.entities.length > listed.length && {
      hiddenEntities: team.entities.length - listed.length,
    }),
  };
}

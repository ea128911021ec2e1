import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ScorecardService } from '../service/ScorecardService';
import { visibleEntity } from './catalogAccess';
import { absoluteUrl, entityRefInput } from './refs';

export interface ComponentScorecardDeps {
  service: ScorecardService;
  catalog: CatalogService;
  /** app.baseUrl: the portal's relative fix links are made absolute with it. */
  appBaseUrl?: string;
}

/** The track an agent named, or the first; an unknown one is bad input. */
export function trackInput(service: ScorecardService, trackId?: string) {
  const tracks = service.listTracks();
  const track =
    trackId === undefined ? tracks[0] : tracks.find(t => t.id === trackId);
  if (!track) {
    throw new InputError(
      `trackId: no scorecard track '${trackId}' (there are: ${
        tracks.map(t => t.id).join(', ') || 'none'
      })`,
    );
  }
  return track;
}

/**
 * A component's level on one track, what passes, and for each failing check the
 * "how to fix" sentence and link the scorecard UI shows. The catalog decides
 * whether the caller may see the entity at all.
 */
export async function componentScorecard(
  deps: ComponentScorecardDeps,
  input: { entityRef: string; trackId?: string },
  credentials: BackstageCredentials,
) {
  const entityRef = entityRefInput(input.entityRef, 'entityRef');
  const track = trackInput(deps.service, input.trackId);
  await visibleEntity(deps.catalog, entityRef, credentials, [
    'kind',
    'metadata.namespace',
    'metadata.name',
  ]);
  const card = await deps.service.entityScorecard(entityRef);
  const score = card.tracks.find(t => t.trackId === track.id);
  if (!score) {
    throw new InputError(
      `trackId: '${entityRef}' has no score on track '${
        track.id
      }' (it has: ${card.tracks.map(t => t.trackId).join(', ')})`,
    );
  }
  const failing = score.checks
    .filter(c => !c.passed)
    // Lower levels first: a failing check caps every level above its own.
    .sort((a, b) => a.level - b.level);
  const next = track.levels.find(l => l.level > score.level);
  return {
    entityRef,
    trackId: score.trackId,
    trackTitle: score.title,
    level: score.level,
    levelName: score.levelName,
    evaluatedAt: score.evaluatedAt,
    ...(next && {
      nextLevel: {
        level: next.level,
        name: next.name,
        blockedBy: failing
          .filter(c => c.level <= next.level)
          .map(c => c.checkId),
      },
    }),
    failing: failing.map(c => ({
      checkId: c.checkId,
      title: c.title,
      level: c.level,
      reason: c.reason,
      ...(c.howToFix && { howToFix: c.howToFix }),
      ...(c.fixUrl && { fixUrl: absoluteUrl(c.fixUrl, deps.appBaseUrl) }),
    })),
    passing: score.checks
      .filter(c => c.passed)
      .map(c => ({ checkId: c.checkId, title: c.title, level: c.level })),
    otherTracks: card.tracks
      .filter(t => t.trackId !== score.trackId)
      .map(t => ({
        trackId: t.trackId,
        title: t.title,
        level: t.level,
        levelName: t.levelName,
        failing: t.checks.filter(c => !c.passed).length,
      })),
  };
}

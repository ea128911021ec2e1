import { InputError } from '@backstage/errors';
import { TrackDefinition } from '@paved/plugin-scorecard-common';
import { ScorecardStore } from '../database/ScorecardStore';
import { compileTrack, scoreEntity } from '../engine/compileTrack';
import { Operators } from '../engine/operators';
import { trackProblems } from '../engine/validateTracks';

export interface ImpactPreview {
  trackId: string;
  evaluated: number;
  movedUp: number;
  movedDown: number;
  unchanged: number;
  /** Entities whose level would change, up to `limit`. */
  entities: { entityRef: string; from: number | null; to: number }[];
  distribution: { level: number; before: number; after: number }[];
}

/**
 * What a proposed track would do to the levels, scored on the stored facts of every
 * entity; nothing is written.
 */
export async function previewImpact(options: {
  store: ScorecardStore;
  proposed: TrackDefinition;
  otherTracks: TrackDefinition[];
  knownFacts: ReadonlySet<string>;
  operators?: Operators;
  limit?: number;
}): Promise<ImpactPreview> {
  const { store, proposed, knownFacts } = options;
  if (
    !proposed ||
    typeof proposed !== 'object' ||
    !Array.isArray(proposed.levels)
  ) {
    throw new InputError('track must be a track definition with levels');
  }
  const others = options.otherTracks.filter(t => t.id !== proposed.id);
  const problems = trackProblems(
    [...others, proposed],
    knownFacts,
    options.operators,
  );
  if (problems.length) {
    throw new InputError(`Invalid track: ${problems.join('; ')}`);
  }
  const track = compileTrack(proposed, options.operators);
  const [entities, current] = await Promise.all([
    store.listEntities(),
    store.listLevels({ trackId: proposed.id }),
  ]);
  const before = new Map(current.map(c => [c.entityRef, c.level]));
  const moved: ImpactPreview['entities'] = [];
  let up = 0;
  let down = 0;
  const dist = new Map<number, { before: number; after: number }>();
  const bump = (level: number, key: 'before' | 'after') => {
    const row = dist.get(level) ?? { before: 0, after: 0 };
    row[key] += 1;
    dist.set(level, row);
  };
  for (const e of entities) {
    const { level } = scoreEntity(
      track,
      { kind: e.kind, type: e.type },
      e.facts,
    );
    const from = before.get(e.entityRef) ?? null;
    if (from !== null) bump(from, 'before');
    bump(level, 'after');
    if (from === level) continue;
    if (from === null || level > from) up += 1;
    else down += 1;
    moved.push({ entityRef: e.entityRef, from, to: level });
  }
  moved.sort((a, b) => a.entityRef.localeCompare(b.entityRef));
  return {
    trackId: proposed.id,
    evaluated: entities.length,
    movedUp: up,
    movedDown: down,
    unchanged: entities.length - up - down,
    entities: moved.slice(0, options.limit ?? 1000),
    distribution: [...dist]
      .sort(([a], [b]) => a - b)
      .map(([level, v]) => ({ level, ...v })),
  };
}

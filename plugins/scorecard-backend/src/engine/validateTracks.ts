import { TrackDefinition } from '@paved/plugin-scorecard-common';
import { OPERATORS, Operators } from './operators';

/**
 * Every problem in a set of tracks, each naming the track, level or check, so a bad
 * configuration stops the backend at start-up with a message that says what to fix.
 */
export function trackProblems(
  tracks: TrackDefinition[],
  knownFacts: ReadonlySet<string>,
  operators: Operators = OPERATORS,
): string[] {
  const operatorNames = Object.keys(operators);
  const problems: string[] = [];
  const trackIds = new Set<string>();
  const checkIds = new Map<string, string>();
  for (const track of tracks) {
    const at = `track '${track.id}'`;
    if (!track.id) problems.push('a track has no id');
    if (trackIds.has(track.id))
      problems.push(`duplicate track id '${track.id}'`);
    trackIds.add(track.id);
    if (!track.levels?.length) problems.push(`${at} has no levels`);
    const levels = new Set<number>();
    for (const level of track.levels ?? []) {
      const lat = `${at} level ${level.level} '${level.name}'`;
      if (!Number.isInteger(level.level) || level.level < 1) {
        problems.push(`${lat}: the level must be an integer ≥ 1`);
      }
      if (levels.has(level.level)) {
        problems.push(`${at}: duplicate level ${level.level}`);
      }
      levels.add(level.level);
      if (!level.checks?.length) problems.push(`${lat} has no checks`);
      for (const check of level.checks ?? []) {
        const cat = `check '${check.id}' (${at}, level ${level.level})`;
        if (!check.id) problems.push(`${lat}: a check has no id`);
        const seen = checkIds.get(check.id);
        if (seen !== undefined) {
          problems.push(
            `duplicate check id '${check.id}' in ${at} and ${seen}`,
          );
        }
        checkIds.set(check.id, at);
        if (!check.rules?.length) problems.push(`${cat} has no rules`);
        if (check.match && !['all', 'any'].includes(check.match)) {
          problems.push(`${cat}: match must be 'all' or 'any'`);
        }
        for (const rule of check.rules ?? []) {
          if (!knownFacts.has(rule.fact)) {
            problems.push(`${cat} uses unknown fact '${rule.fact}'`);
          }
          if (!operatorNames.includes(rule.operator)) {
            problems.push(
              `${cat} uses unknown operator '${
                rule.operator
              }' (one of ${operatorNames.join(', ')})`,
            );
          }
        }
      }
    }
  }
  return problems;
}

/** Throws one error listing every problem. */
export function assertValidTracks(
  tracks: TrackDefinition[],
  knownFacts: ReadonlySet<string>,
  operators: Operators = OPERATORS,
) {
  const problems = trackProblems(tracks, knownFacts, operators);
  if (problems.length) {
    throw new Error(`Invalid scorecard configuration: ${problems.join('; ')}`);
  }
}

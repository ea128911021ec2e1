import { Config } from '@backstage/config';
import {
  CheckDefinition,
  LevelDefinition,
  TrackDefinition,
} from '@paved/plugin-scorecard-common';
import { defaultTrack } from './defaultTrack';

type ConfiguredCheck = CheckDefinition & { disabled?: boolean };

/**
 * The tracks: the default track, with `scorecard.tracks` from app-config merged in. A
 * configured track with the default's id changes it (levels by number, checks by id;
 * `disabled: true` removes a check); other ids add tracks. Facts unknown for a check of
 * the default track (a provider not installed) drop that check; in configuration
 * they are errors, reported by validation.
 */
export function readTracks(
  config: Config,
  knownFacts: ReadonlySet<string>,
  warn: (message: string) => void,
): TrackDefinition[] {
  const configured = (config.getOptional('scorecard.tracks') ??
    []) as TrackDefinition[];
  if (!Array.isArray(configured)) {
    throw new Error(
      'Invalid scorecard configuration: scorecard.tracks must be a list',
    );
  }
  configured.forEach((track, i) => {
    if (!track || typeof track !== 'object' || !Array.isArray(track.levels)) {
      throw new Error(
        `Invalid scorecard configuration: scorecard.tracks[${i}] needs an id and levels`,
      );
    }
  });
  const base = pruneUnknownFacts(defaultTrack, knownFacts, warn);
  const includeDefault =
    config.getOptionalBoolean('scorecard.defaultTrack') ?? true;
  const tracks: TrackDefinition[] = includeDefault ? [base] : [];
  for (const track of configured) {
    const existing = tracks.findIndex(t => t.id === track.id);
    if (existing >= 0 && includeDefault && track.id === base.id) {
      tracks[existing] = mergeTrack(tracks[existing], track);
    } else {
      tracks.push(stripDisabled(track));
    }
  }
  return tracks.map(normalizeTrack);
}

/** Fills in what configuration may leave out: titles and texts. */
export function normalizeTrack(track: TrackDefinition): TrackDefinition {
  return {
    ...track,
    title: track.title ?? track.id,
    levels: track.levels.map(level => ({
      ...level,
      name: level.name ?? `Level ${level.level}`,
      checks: (level.checks ?? []).map(check => ({
        ...check,
        title: check.title ?? check.id,
        description: check.description ?? '',
        howToFix: check.howToFix ?? '',
        rules: check.rules ?? [],
      })),
    })),
  };
}

function pruneUnknownFacts(
  track: TrackDefinition,
  knownFacts: ReadonlySet<string>,
  warn: (message: string) => void,
): TrackDefinition {
  return {
    ...track,
    levels: track.levels.map(level => ({
      ...level,
      checks: level.checks.filter(check => {
        const missing = check.rules.filter(r => !knownFacts.has(r.fact));
        if (missing.length) {
          warn(
            `Scorecard check '${
              check.id
            }' of the default track is off: no provider for ${missing
              .map(r => r.fact)
              .join(', ')}`,
          );
        }
        return missing.length === 0;
      }),
    })),
  };
}

function stripDisabled(track: TrackDefinition): TrackDefinition {
  return {
    ...track,
    levels: (track.levels ?? []).map(l => ({
      ...l,
      checks: (l.checks ?? []).filter(c => !(c as ConfiguredCheck).disabled),
    })),
  };
}

function mergeTrack(
  base: TrackDefinition,
  patch: TrackDefinition,
): TrackDefinition {
  const levels = new Map<number, LevelDefinition>(
    base.levels.map(l => [l.level, { ...l, checks: [...l.checks] }]),
  );
  for (const level of patch.levels ?? []) {
    const target = levels.get(level.level) ?? {
      level: level.level,
      name: level.name,
      checks: [],
    };
    if (level.name) target.name = level.name;
    for (const check of (level.checks ?? []) as ConfiguredCheck[]) {
      // A check moves to the level it is configured at.
      for (const l of levels.values()) {
        l.checks = l.checks.filter(c => c.id !== check.id);
      }
      if (!check.disabled) target.checks.push(check);
    }
    levels.set(level.level, target);
  }
  return {
    ...base,
    title: patch.title ?? base.title,
    description: patch.description ?? base.description,
    levels: [...levels.values()].sort((a, b) => a.level - b.level),
  };
}

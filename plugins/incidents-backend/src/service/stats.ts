import { Incident, IncidentStatsRow } from '@paved/plugin-incidents-common';

function median(sorted: number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : Math.round((sorted[middle - 1] + sorted[middle]) / 2);
}

/** Incident counts and time to restore, one row per distinct `keyOf`, sorted by ref. */
export function statsBy(
  incidents: Incident[],
  keyOf: (incident: Incident) => string,
): IncidentStatsRow[] {
  const groups = new Map<string, Incident[]>();
  for (const incident of incidents) {
    const key = keyOf(incident);
    groups.set(key, [...(groups.get(key) ?? []), incident]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([ref, group]) => {
      const restored = group
        .map(incident => incident.timeToRestoreMs)
        .filter((ms): ms is number => ms !== undefined)
        .sort((a, b) => a - b);
      return {
        ref,
        count: group.length,
        openCount: group.length - restored.length,
        resolvedCount: restored.length,
        ...(restored.length
          ? {
              meanTimeToRestoreMs: Math.round(
                restored.reduce((sum, ms) => sum + ms, 0) / restored.length,
              ),
              medianTimeToRestoreMs: median(restored),
            }
          : {}),
      };
    });
}

const PATTERN =
  /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;
const UNIT_MS = [
  365 * 86_400_000,
  30 * 86_400_000,
  7 * 86_400_000,
  86_400_000,
  3_600_000,
  60_000,
  1_000,
];

/**
 * Milliseconds of an ISO 8601 duration such as `PT2H` or `P1DT30M` (years and months
 * as 365 and 30 days); undefined when it is not one.
 */
export function parseIsoDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = PATTERN.exec(value.trim());
  if (!match || value.trim() === 'P' || value.trim().endsWith('T')) {
    return undefined;
  }
  return match
    .slice(1)
    .reduce((sum, part, i) => sum + (part ? Number(part) * UNIT_MS[i] : 0), 0);
}

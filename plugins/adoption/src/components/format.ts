/** `0.4567` → `46%`; null → `–`. */
export const percent = (ratio: number | null | undefined) =>
  ratio === null || ratio === undefined ? '–' : `${Math.round(ratio * 100)}%`;

/** A count, or `–` where the backend hid it (too few people). */
export const count = (value: number | null | undefined) =>
  value === null || value === undefined ? '–' : value.toLocaleString('en-US');

/** `90_000` → `1.5 min`, `7_200_000` → `2 h`, `3 * 86_400_000` → `3 d`. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  const round = (n: number) => String(Math.round(n * 10) / 10);
  if (ms < 60_000) return `${round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${round(ms / 3_600_000)} h`;
  return `${round(ms / 86_400_000)} d`;
}

/** The `from`/`to` (`YYYY-MM-DD`, UTC, inclusive) of the last `days` days. */
export function lastDays(days: number, now = new Date()) {
  const to = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()),
  );
  const from = new Date(to.getTime() - (days - 1) * 86_400_000);
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return { from: day(from), to: day(to) };
}

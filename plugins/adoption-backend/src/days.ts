const DAY_MS = 86_400_000;

/** Whole UTC days since 1970-01-01: how the plugin's tables store days. */
export function dayOf(time: Date | string | number): number {
  return Math.floor(new Date(time).getTime() / DAY_MS);
}

/** `YYYY-MM-DD` of a day number. */
export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday that starts the ISO week of a day (1970-01-01 was a Thursday). */
export function weekOf(day: number): number {
  return day - ((day + 3) % 7);
}

/** `YYYY-MM` of a day number. */
export function monthOf(day: number): string {
  return isoDay(day).slice(0, 7);
}

/** The daily and weekly rollups of raw events and the per-day active users. */
export interface RollupStore {
  /**
   * Re-aggregates the days that received events since the last refresh, and their
   * weeks, skipping days before `oldestDay` (their raw events may be purged);
   * then the active-user windows of the days up to `today` that this can change.
   * Returns the days re-aggregated.
   */
  refresh(options: {
    oldestDay: number;
    today: number;
  }): Promise<{ days: number[] }>;
}

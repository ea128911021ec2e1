export type SurveyEntryKind = 'response' | 'dismissal';

/** NPS answers and dismissals, per (pseudonymized) user. */
export interface SurveyStore {
  /** When the user last answered or dismissed, per kind. */
  lastEntries(user: string): Promise<{ response?: Date; dismissal?: Date }>;
  /**
   * Records an answer unless the user answered at or after `notSince`; returns
   * false then.
   */
  addResponse(
    user: string,
    answer: { score: number; comment?: string; at: Date },
    notSince: Date,
  ): Promise<boolean>;
  addDismissal(user: string, at: Date): Promise<void>;
}

/** Which rows of the usage rollups to read. */
export type GrainName = 'plugin' | 'action' | 'route' | 'search' | 'docs';

/** One row of usage over a range of days. */
export interface UsageRow {
  pluginId: string;
  action: string;
  route: string;
  subject: string;
  entityRef: string;
  events: number;
  /** Sum over days of the distinct users of each day. */
  userDays: number;
  /**
   * Distinct users: exact over the range when `exact`, otherwise the most in one
   * day or one whole week inside the range (a lower bound).
   */
  users: number;
  zeroResults: number;
  exact: boolean;
}

/** Who a team-filtered query counts: these users, or events recorded for the team. */
export interface PeopleFilter {
  users: string[];
  team: string;
}

export interface ActiveUsersPoint {
  day: number;
  dau: number;
  wau: number;
  mau: number;
}

export interface ScaffolderRunRow {
  templateRef: string;
  outcome: string;
  durationMs?: number;
  createdBy?: string;
}

export interface SurveyAnswerRow {
  day: number;
  score: number;
  comment?: string;
}

/** The dashboard's reads. Days are inclusive day numbers. */
export interface DashboardStore {
  activeUsers(
    fromDay: number,
    toDay: number,
    people?: PeopleFilter,
  ): Promise<ActiveUsersPoint[]>;
  /** From the rollups, or from raw events when filtered to people. */
  usage(
    grain: GrainName,
    fromDay: number,
    toDay: number,
    people?: PeopleFilter,
  ): Promise<UsageRow[]>;
  scaffolderRuns(
    fromDay: number,
    toDay: number,
    people?: PeopleFilter,
  ): Promise<ScaffolderRunRow[]>;
  surveyAnswers(fromDay: number, toDay: number): Promise<SurveyAnswerRow[]>;
}

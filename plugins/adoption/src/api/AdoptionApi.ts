import { createApiRef } from '@backstage/frontend-plugin-api';

/** The range and team every dashboard query takes. @public */
export type DashboardQuery = {
  /** First day, `YYYY-MM-DD`, inclusive. */
  from: string;
  /** Last day, `YYYY-MM-DD`, inclusive. */
  to: string;
  /** A group ref, to see only that team. */
  team?: string;
};

/** @public */
export type DashboardHeader = {
  from: string;
  to: string;
  team?: string;
  minimumGroupSize: number;
};

/** @public */
export type ActiveUsers = DashboardHeader & {
  days: Array<{
    day: string;
    dau: number | null;
    wau: number | null;
    mau: number | null;
    stickiness: number | null;
  }>;
};

/** @public */
export type UsageRow = {
  events: number;
  users: number;
  usersExact: boolean;
  userDays: number;
};

/** @public */
export type Usage = DashboardHeader & {
  plugins: Array<UsageRow & { pluginId: string }>;
  pages: Array<UsageRow & { pluginId: string; route: string }>;
  actions: Array<UsageRow & { pluginId: string; action: string }>;
  hidden: { plugins: number; pages: number; actions: number };
};

/** @public */
export type SearchTerm = {
  term: string;
  searches: number;
  users: number;
  noResults: number;
};

/** @public */
export type Searches = DashboardHeader & {
  totalSearches: number;
  searchesWithoutResults: number;
  topTerms: SearchTerm[];
  noResultTerms: SearchTerm[];
  hidden: number;
};

/** @public */
export type GoldenPathTemplate = {
  templateRef: string;
  title: string | null;
  inCatalog: boolean;
  suppressed: boolean;
  runs: number | null;
  succeeded: number | null;
  failed: number | null;
  cancelled: number | null;
  successRate: number | null;
  medianDurationMs: number | null;
  timeSavedPerRunMs: number | null;
  timeSavedMs: number | null;
  components: number;
};

/** @public */
export type GoldenPaths = DashboardHeader & {
  templates: GoldenPathTemplate[];
  components: { total: number; fromTemplates: number; share: number | null };
};

/** @public */
export type Docs = DashboardHeader & {
  mostRead: Array<{ entityRef: string; views: number; users: number }>;
  hidden: number;
  staleAfterDays: number;
  stale: Array<{
    entityRef: string;
    lastBuiltAt: string | null;
    ageDays: number | null;
    views: number | null;
  }>;
  docsChecked: number;
  docsTotal: number;
};

/** @public */
export type Nps = DashboardHeader & {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  score: number | null;
  trend: Array<{ month: string; responses: number; score: number | null }>;
  comments: Array<{ month: string; score: number; comment: string }>;
};

/** @public */
export type SurveyStatus = {
  show: boolean;
  lastResponseAt: string | null;
  lastDismissalAt: string | null;
  nextSurveyAt: string | null;
};

/**
 * The adoption backend: the dashboard's figures (platform team only, a 403
 * `ResponseError` otherwise) and the NPS survey.
 *
 * @public
 */
export interface AdoptionApi {
  getActiveUsers(query: DashboardQuery): Promise<ActiveUsers>;
  getUsage(query: DashboardQuery): Promise<Usage>;
  getSearches(query: DashboardQuery): Promise<Searches>;
  getGoldenPaths(query: DashboardQuery): Promise<GoldenPaths>;
  getDocs(query: DashboardQuery): Promise<Docs>;
  getNps(query: DashboardQuery): Promise<Nps>;
  /** Rolls up the events received since the last rollup; answers the days redone. */
  refresh(): Promise<{ days: number }>;
  getSurveyStatus(): Promise<SurveyStatus>;
  respondToSurvey(answer: { score: number; comment?: string }): Promise<void>;
  dismissSurvey(): Promise<void>;
}

/** @public */
export const adoptionApiRef = createApiRef<AdoptionApi>({
  id: 'plugin.adoption',
});

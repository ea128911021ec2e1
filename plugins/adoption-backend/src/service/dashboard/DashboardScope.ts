import {
  DashboardStore,
  GrainName,
  PeopleFilter,
} from '../../database/DashboardStore';
import { isoDay } from '../../days';
import { TeamResolver } from '../TeamResolver';

/** The days (inclusive) and optional team a dashboard figure is for. */
export interface DashboardQuery {
  fromDay: number;
  toDay: number;
  team?: string;
}

/**
 * What every dashboard section shares: the people a query is about, the header of
 * its answer, and usage rows with those over fewer than `minimumGroupSize` distinct
 * people held back.
 */
export class DashboardScope {
  constructor(
    private readonly deps: {
      store: DashboardStore;
      teams: TeamResolver;
      minimumGroupSize: number;
    },
  ) {}

  /** The fewest distinct people a shown figure may be about. */
  get min(): number {
    return this.deps.minimumGroupSize;
  }

  /** The team's members when the query names a team; everyone otherwise. */
  async people(query: DashboardQuery): Promise<PeopleFilter | undefined> {
    return query.team ? this.deps.teams.filterFor(query.team) : undefined;
  }

  /** The fields every section's answer starts with. */
  header(query: DashboardQuery) {
    return {
      from: isoDay(query.fromDay),
      to: isoDay(query.toDay),
      ...(query.team ? { team: query.team } : {}),
      minimumGroupSize: this.min,
    };
  }

  /**
   * The usage rows of a grain: `visible` (enough people, most events first),
   * how many are `hidden`, and `all` of them for totals.
   */
  async usageRows(grain: GrainName, query: DashboardQuery) {
    const rows = await this.deps.store.usage(
      grain,
      query.fromDay,
      query.toDay,
      await this.people(query),
    );
    const visible = rows.filter(row => row.users >= this.min);
    return {
      visible: visible.sort((a, b) => b.events - a.events),
      hidden: rows.length - visible.length,
      all: rows,
    };
  }
}

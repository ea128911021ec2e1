import { UsageRow } from '../../database/DashboardStore';
import { DashboardQuery, DashboardScope } from './DashboardScope';

const term = (r: UsageRow) => ({
  term: r.subject,
  searches: r.events,
  users: r.users,
  noResults: r.zeroResults,
});

/** What people search for, and the terms that find nothing. */
export class SearchesSection {
  constructor(private readonly deps: { scope: DashboardScope }) {}

  async read(query: DashboardQuery, limit = 50) {
    const { scope } = this.deps;
    const { visible, hidden, all } = await scope.usageRows('search', query);
    return {
      ...scope.header(query),
      totalSearches: all.reduce((sum, r) => sum + r.events, 0),
      searchesWithoutResults: all.reduce((sum, r) => sum + r.zeroResults, 0),
      topTerms: visible.slice(0, limit).map(term),
      noResultTerms: visible
        .filter(r => r.zeroResults > 0)
        .sort((a, b) => b.zeroResults - a.zeroResults)
        .slice(0, limit)
        .map(term),
      hidden,
    };
  }
}

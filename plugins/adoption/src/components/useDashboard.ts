import { useApi } from '@backstage/frontend-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { adoptionApiRef, DashboardQuery } from '../api';

/** Every section's figures, fetched together for one range and team. */
export function useDashboard(query: DashboardQuery) {
  const api = useApi(adoptionApiRef);
  return useAsyncRetry(async () => {
    const [activeUsers, usage, searches, goldenPaths, docs, nps] =
      await Promise.all([
        api.getActiveUsers(query),
        api.getUsage(query),
        api.getSearches(query),
        api.getGoldenPaths(query),
        api.getDocs(query),
        api.getNps(query),
      ]);
    return { activeUsers, usage, searches, goldenPaths, docs, nps };
  }, [api, query.from, query.to, query.team]);
}

export type DashboardData = NonNullable<
  ReturnType<typeof useDashboard>['value']
>;

/** Nothing recorded at all: the portal was not used yet, or not rolled up. */
export const isEmpty = (data: DashboardData) =>
  data.activeUsers.days.every(d => d.dau === null && d.mau === null) &&
  data.usage.plugins.length === 0 &&
  data.searches.totalSearches === 0 &&
  data.goldenPaths.templates.length === 0 &&
  data.nps.responses === 0;

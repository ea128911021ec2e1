import { UsageRow } from '../../database/DashboardStore';
import { DashboardQuery, DashboardScope } from './DashboardScope';

const counts = (row: UsageRow) => ({
  events: row.events,
  users: row.users,
  usersExact: row.exact,
  userDays: row.userDays,
});

/** How much each plugin, page and action is used (the top 100 pages and actions). */
export class UsageSection {
  constructor(private readonly deps: { scope: DashboardScope }) {}

  async read(query: DashboardQuery) {
    const { scope } = this.deps;
    const [plugins, pages, actions] = await Promise.all([
      scope.usageRows('plugin', query),
      scope.usageRows('route', query),
      scope.usageRows('action', query),
    ]);
    return {
      ...scope.header(query),
      plugins: plugins.visible.map(r => ({
        pluginId: r.pluginId,
        ...counts(r),
      })),
      pages: pages.visible.slice(0, 100).map(r => ({
        pluginId: r.pluginId,
        route: r.route,
        ...counts(r),
      })),
      actions: actions.visible.slice(0, 100).map(r => ({
        pluginId: r.pluginId,
        action: r.action,
        ...counts(r),
      })),
      hidden: {
        plugins: plugins.hidden,
        pages: pages.hidden,
        actions: actions.hidden,
      },
    };
  }
}

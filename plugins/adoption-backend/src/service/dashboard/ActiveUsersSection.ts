import { DashboardStore } from '../../database/DashboardStore';
import { isoDay } from '../../days';
import { shown } from '../aggregate';
import { DashboardQuery, DashboardScope } from './DashboardScope';

/** Daily, weekly and monthly active users and stickiness (DAU/MAU) per day. */
export class ActiveUsersSection {
  constructor(
    private readonly deps: { store: DashboardStore; scope: DashboardScope },
  ) {}

  async read(query: DashboardQuery) {
    const { store, scope } = this.deps;
    const min = scope.min;
    const points = await store.activeUsers(
      query.fromDay,
      query.toDay,
      await scope.people(query),
    );
    return {
      ...scope.header(query),
      days: points.map(p => {
        const dau = shown(p.dau, p.dau, min);
        const mau = shown(p.mau, p.mau, min);
        return {
          day: isoDay(p.day),
          dau,
          wau: shown(p.wau, p.wau, min),
          mau,
          stickiness:
            dau !== null && mau ? Math.round((dau / mau) * 1000) / 1000 : null,
        };
      }),
    };
  }
}

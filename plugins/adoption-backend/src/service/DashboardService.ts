import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DashboardStore } from '../database/DashboardStore';
import { ActiveUsersSection } from './dashboard/ActiveUsersSection';
import { CatalogEntities } from './dashboard/CatalogEntities';
import { DashboardQuery, DashboardScope } from './dashboard/DashboardScope';
import { DocsSection } from './dashboard/DocsSection';
import { TechDocsBuildTimes } from './dashboard/DocsBuildTimes';
import { GoldenPathsSection } from './dashboard/GoldenPathsSection';
import { NpsSection } from './dashboard/NpsSection';
import { SearchesSection } from './dashboard/SearchesSection';
import { UsageSection } from './dashboard/UsageSection';
import { TeamResolver } from './TeamResolver';

export type { DashboardQuery };

/**
 * The adoption dashboard's figures, one section (in `./dashboard/`) per part of the
 * dashboard API. Every figure is an aggregate; a row or value over fewer than
 * `minimumGroupSize` distinct people is left out (lists, counted in `hidden`) or
 * null (series).
 */
export class DashboardService {
  private readonly activeUsersSection: ActiveUsersSection;
  private readonly usageSection: UsageSection;
  private readonly searchesSection: SearchesSection;
  private readonly goldenPathsSection: GoldenPathsSection;
  private readonly docsSection: DocsSection;
  private readonly npsSection: NpsSection;

  constructor(deps: {
    store: DashboardStore;
    teams: TeamResolver;
    catalog: CatalogService;
    auth: AuthService;
    discovery: DiscoveryService;
    logger: LoggerService;
    minimumGroupSize: number;
    docsStaleAfterMs: number;
    now?: () => Date;
  }) {
    const { store } = deps;
    const scope = new DashboardScope(deps);
    const entities = new CatalogEntities(deps);
    this.activeUsersSection = new ActiveUsersSection({ store, scope });
    this.usageSection = new UsageSection({ scope });
    this.searchesSection = new SearchesSection({ scope });
    this.goldenPathsSection = new GoldenPathsSection({
      store,
      scope,
      entities,
    });
    this.docsSection = new DocsSection({
      scope,
      entities,
      builds: new TechDocsBuildTimes(deps),
      docsStaleAfterMs: deps.docsStaleAfterMs,
      now: deps.now,
    });
    this.npsSection = new NpsSection({ store, scope });
  }

  activeUsers(query: DashboardQuery) {
    return this.activeUsersSection.read(query);
  }

  usage(query: DashboardQuery) {
    return this.usageSection.read(query);
  }

  searches(query: DashboardQuery, limit?: number) {
    return this.searchesSection.read(query, limit);
  }

  goldenPaths(query: DashboardQuery) {
    return this.goldenPathsSection.read(query);
  }

  docs(query: DashboardQuery, limit?: number) {
    return this.docsSection.read(query, limit);
  }

  nps(query: DashboardQuery) {
    return this.npsSection.read(query);
  }
}

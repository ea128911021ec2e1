import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogEntities } from './CatalogEntities';
import { DashboardQuery, DashboardScope } from './DashboardScope';
import { DocsBuildTimes } from './DocsBuildTimes';

const TECHDOCS_ANNOTATION = 'backstage.io/techdocs-ref';
/** Docs entities whose build metadata is read per request, at most. */
const MAX_DOCS_CHECKED = 200;
const DAY_MS = 86_400_000;

/** The most read docs, and docs not built for `docsStaleAfterMs` (most read first). */
export class DocsSection {
  constructor(
    private readonly deps: {
      scope: DashboardScope;
      entities: CatalogEntities;
      builds: DocsBuildTimes;
      docsStaleAfterMs: number;
      now?: () => Date;
    },
  ) {}

  async read(query: DashboardQuery, limit = 50) {
    const { scope, docsStaleAfterMs } = this.deps;
    const [{ visible, hidden }, docsEntities] = await Promise.all([
      scope.usageRows('docs', query),
      this.deps.entities
        .ofKind('Component', ['metadata.annotations'])
        .then(items =>
          items.filter(e => e.metadata.annotations?.[TECHDOCS_ANNOTATION]),
        ),
    ]);
    const views = new Map(visible.map(r => [r.entityRef.toLowerCase(), r]));
    const now = (this.deps.now?.() ?? new Date()).getTime();
    const checked = docsEntities.slice(0, MAX_DOCS_CHECKED);
    const builds = await this.deps.builds.buildTimes(checked);
    const stale = checked
      .map((entity, i) => {
        const ref = stringifyEntityRef(entity);
        const builtAt = builds[i];
        return {
          entityRef: ref,
          lastBuiltAt: builtAt ? builtAt.toISOString() : null,
          ageDays: builtAt
            ? Math.floor((now - builtAt.getTime()) / DAY_MS)
            : null,
          views: views.get(ref)?.events ?? null,
        };
      })
      .filter(
        d =>
          d.lastBuiltAt === null ||
          now - Date.parse(d.lastBuiltAt) > docsStaleAfterMs,
      )
      .sort((a, b) => (b.views ?? 0) - (a.views ?? 0));
    return {
      ...scope.header(query),
      mostRead: visible.slice(0, limit).map(r => ({
        entityRef: r.entityRef,
        views: r.events,
        users: r.users,
      })),
      hidden,
      staleAfterDays: Math.round(docsStaleAfterMs / DAY_MS),
      stale,
      docsChecked: checked.length,
      docsTotal: docsEntities.length,
    };
  }
}

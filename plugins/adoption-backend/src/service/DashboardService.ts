import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DashboardStore,
  GrainName,
  PeopleFilter,
  UsageRow,
} from '../database/DashboardStore';
import { isoDay, monthOf } from '../days';
import { median, npsOf, shown } from './aggregate';
import { parseIsoDuration } from './isoDuration';
import { TeamResolver } from './TeamResolver';

/** The days (inclusive) and optional team a dashboard figure is for. */
export interface DashboardQuery {
  fromDay: number;
  toDay: number;
  team?: string;
}

/** Annotations that name the template a component was created from. */
export const TEMPLATE_ANNOTATIONS = [
  'paved.dev/template',
  'backstage.io/source-template',
];
const TIME_SAVED_ANNOTATION = 'backstage.io/time-saved';
const TECHDOCS_ANNOTATION = 'backstage.io/techdocs-ref';
/** Docs entities whose build metadata is read per request, at most. */
const MAX_DOCS_CHECKED = 200;

const normalizeRef = (ref: string, defaultKind: string) => {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
    );
  } catch {
    return ref.toLowerCase();
  }
};

/**
 * The adoption dashboard's figures. Every figure is an aggregate; a row or value
 * over fewer than `minimumGroupSize` distinct people is left out (lists, counted in
 * `hidden`) or null (series).
 */
export class DashboardService {
  constructor(
    private readonly deps: {
      store: DashboardStore;
      teams: TeamResolver;
      catalog: CatalogService;
      auth: AuthService;
      discovery: DiscoveryService;
      logger: LoggerService;
      minimumGroupSize: number;
      docsStaleAfterMs: number;
      now?: () => Date;
    },
  ) {}

  private get min() {
    return this.deps.minimumGroupSize;
  }

  private async people(
    query: DashboardQuery,
  ): Promise<PeopleFilter | undefined> {
    return query.team ? this.deps.teams.filterFor(query.team) : undefined;
  }

  private header(query: DashboardQuery) {
    return {
      from: isoDay(query.fromDay),
      to: isoDay(query.toDay),
      ...(query.team ? { team: query.team } : {}),
      minimumGroupSize: this.min,
    };
  }

  async activeUsers(query: DashboardQuery) {
    const people = await this.people(query);
    const points = await this.deps.store.activeUsers(
      query.fromDay,
      query.toDay,
      people,
    );
    return {
      ...this.header(query),
      days: points.map(p => {
        const dau = shown(p.dau, p.dau, this.min);
        const mau = shown(p.mau, p.mau, this.min);
        return {
          day: isoDay(p.day),
          dau,
          wau: shown(p.wau, p.wau, this.min),
          mau,
          stickiness:
            dau !== null && mau ? Math.round((dau / mau) * 1000) / 1000 : null,
        };
      }),
    };
  }

  private async rows(grain: GrainName, query: DashboardQuery) {
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

  async usage(query: DashboardQuery) {
    const counts = (row: UsageRow) => ({
      events: row.events,
      users: row.users,
      usersExact: row.exact,
      userDays: row.userDays,
    });
    const [plugins, pages, actions] = await Promise.all([
      this.rows('plugin', query),
      this.rows('route', query),
      this.rows('action', query),
    ]);
    return {
      ...this.header(query),
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

  async searches(query: DashboardQuery, limit = 50) {
    const { visible, hidden, all } = await this.rows('search', query);
    const term = (r: UsageRow) => ({
      term: r.subject,
      searches: r.events,
      users: r.users,
      noResults: r.zeroResults,
    });
    return {
      ...this.header(query),
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

  private async entities(kind: string, fields: string[]) {
    const { items } = await this.deps.catalog.getEntities(
      {
        filter: { kind },
        fields: ['kind', 'metadata.name', 'metadata.namespace', ...fields],
      },
      { credentials: await this.deps.auth.getOwnServiceCredentials() },
    );
    return items;
  }

  async goldenPaths(query: DashboardQuery) {
    const [runs, templates, components] = await Promise.all([
      this.deps.store.scaffolderRuns(
        query.fromDay,
        query.toDay,
        await this.people(query),
      ),
      this.entities('Template', ['metadata.title', 'metadata.annotations']),
      this.entities('Component', ['metadata.annotations']),
    ]);
    const createdFrom = new Map<string, number>();
    for (const component of components) {
      const annotations = component.metadata.annotations ?? {};
      const source = TEMPLATE_ANNOTATIONS.map(a => annotations[a]).find(
        Boolean,
      );
      if (source) {
        const ref = normalizeRef(source, 'template');
        createdFrom.set(ref, (createdFrom.get(ref) ?? 0) + 1);
      }
    }
    const byTemplate = new Map<string, typeof runs>();
    for (const run of runs) {
      const ref = normalizeRef(run.templateRef, 'template');
      byTemplate.set(ref, [...(byTemplate.get(ref) ?? []), run]);
    }
    const templateRefs = new Set<string>([
      ...templates.map(t => stringifyEntityRef(t)),
      ...byTemplate.keys(),
    ]);
    const entityOf = new Map<string, Entity>(
      templates.map(t => [stringifyEntityRef(t), t]),
    );
    const rows = [...templateRefs].map(templateRef => {
      const entity = entityOf.get(templateRef);
      const list = byTemplate.get(templateRef) ?? [];
      const succeeded = list.filter(r => r.outcome === 'completed');
      const people = new Set(list.map(r => r.createdBy ?? '?')).size;
      const timeSavedPerRunMs = parseIsoDuration(
        entity?.metadata.annotations?.[TIME_SAVED_ANNOTATION],
      );
      const suppressed = list.length > 0 && people < this.min;
      const durations = succeeded
        .map(r => r.durationMs)
        .filter((d): d is number => d !== undefined);
      return {
        templateRef,
        title: entity?.metadata.title ?? entity?.metadata.name,
        inCatalog: Boolean(entity),
        suppressed,
        runs: suppressed ? null : list.length,
        succeeded: suppressed ? null : succeeded.length,
        failed: suppressed
          ? null
          : list.filter(r => r.outcome === 'failed').length,
        cancelled: suppressed
          ? null
          : list.filter(r => r.outcome === 'cancelled').length,
        successRate:
          suppressed || list.length === 0
            ? null
            : Math.round((succeeded.length / list.length) * 1000) / 1000,
        medianDurationMs: suppressed ? null : median(durations) ?? null,
        timeSavedPerRunMs: timeSavedPerRunMs ?? null,
        timeSavedMs:
          suppressed || timeSavedPerRunMs === undefined
            ? null
            : timeSavedPerRunMs * succeeded.length,
        components: createdFrom.get(templateRef) ?? 0,
      };
    });
    const fromTemplates = [...createdFrom.values()].reduce((a, b) => a + b, 0);
    return {
      ...this.header(query),
      templates: rows.sort((a, b) => (b.runs ?? 0) - (a.runs ?? 0)),
      components: {
        total: components.length,
        fromTemplates,
        share:
          components.length === 0
            ? null
            : Math.round((fromTemplates / components.length) * 1000) / 1000,
      },
    };
  }

  async docs(query: DashboardQuery, limit = 50) {
    const [{ visible, hidden }, docsEntities] = await Promise.all([
      this.rows('docs', query),
      this.entities('Component', ['metadata.annotations']).then(items =>
        items.filter(e => e.metadata.annotations?.[TECHDOCS_ANNOTATION]),
      ),
    ]);
    const views = new Map(visible.map(r => [r.entityRef.toLowerCase(), r]));
    const now = (this.deps.now?.() ?? new Date()).getTime();
    const checked = docsEntities.slice(0, MAX_DOCS_CHECKED);
    const builds = await this.buildTimes(checked);
    const stale = checked
      .map((entity, i) => {
        const ref = stringifyEntityRef(entity);
        const builtAt = builds[i];
        return {
          entityRef: ref,
          lastBuiltAt: builtAt ? builtAt.toISOString() : null,
          ageDays: builtAt
            ? Math.floor((now - builtAt.getTime()) / 86_400_000)
            : null,
          views: views.get(ref)?.events ?? null,
        };
      })
      .filter(
        d =>
          d.lastBuiltAt === null ||
          now - Date.parse(d.lastBuiltAt) > this.deps.docsStaleAfterMs,
      )
      .sort((a, b) => (b.views ?? 0) - (a.views ?? 0));
    return {
      ...this.header(query),
      mostRead: visible.slice(0, limit).map(r => ({
        entityRef: r.entityRef,
        views: r.events,
        users: r.users,
      })),
      hidden,
      staleAfterDays: Math.round(this.deps.docsStaleAfterMs / 86_400_000),
      stale,
      docsChecked: checked.length,
      docsTotal: docsEntities.length,
    };
  }

  /** When each entity's docs were last built, from the TechDocs backend's metadata. */
  private async buildTimes(entities: Entity[]): Promise<(Date | undefined)[]> {
    if (entities.length === 0) return [];
    let baseUrl: string;
    let token: string;
    try {
      baseUrl = await this.deps.discovery.getBaseUrl('techdocs');
      ({ token } = await this.deps.auth.getPluginRequestToken({
        onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
        targetPluginId: 'techdocs',
      }));
    } catch (error) {
      this.deps.logger.warn(`TechDocs metadata unavailable: ${error}`);
      return entities.map(() => undefined);
    }
    const results: (Date | undefined)[] = new Array(entities.length);
    let next = 0;
    const worker = async () => {
      while (next < entities.length) {
        const i = next++;
        const { namespace = 'default', name } = entities[i].metadata;
        const kind = entities[i].kind.toLowerCase();
        try {
          const response = await fetch(
            `${baseUrl}/metadata/techdocs/${encodeURIComponent(
              namespace,
            )}/${encodeURIComponent(kind)}/${encodeURIComponent(name)}`,
            { headers: { authorization: `Bearer ${token}` } },
          );
          const body = response.ok
            ? ((await response.json()) as { build_timestamp?: number })
            : undefined;
          results[i] = body?.build_timestamp
            ? new Date(body.build_timestamp * 1000)
            : undefined;
        } catch {
          results[i] = undefined;
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    return results;
  }

  async nps(query: DashboardQuery) {
    const answers = await this.deps.store.surveyAnswers(
      query.fromDay,
      query.toDay,
    );
    const overall = npsOf(answers.map(a => a.score));
    const months = new Map<string, number[]>();
    for (const answer of answers) {
      const month = monthOf(answer.day);
      months.set(month, [...(months.get(month) ?? []), answer.score]);
    }
    const enough = overall.responses >= this.min;
    return {
      ...this.header(query),
      ...overall,
      score: enough ? overall.score : null,
      trend: [...months.entries()].sort().map(([month, scores]) => {
        const nps = npsOf(scores);
        return {
          month,
          responses: nps.responses,
          score: shown(nps.score ?? 0, nps.responses, this.min),
        };
      }),
      // Without who wrote them or when (to the day), newest month first.
      comments: enough
        ? answers
            .filter(a => a.comment)
            .reverse()
            .map(a => ({
              month: monthOf(a.day),
              score: a.score,
              comment: a.comment!,
            }))
        : [],
    };
  }
}

import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  DashboardStore,
  ScaffolderRunRow,
} from '../../database/DashboardStore';
import { median } from '../aggregate';
import { parseIsoDuration } from '../isoDuration';
import { CatalogEntities } from './CatalogEntities';
import { DashboardQuery, DashboardScope } from './DashboardScope';

/** Annotations that name the template a component was created from. */
const TEMPLATE_ANNOTATIONS = [
  'paved.dev/template',
  'backstage.io/source-template',
];
const TIME_SAVED_ANNOTATION = 'backstage.io/time-saved';

const normalizeRef = (ref: string, defaultKind: string) => {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, { defaultKind, defaultNamespace: 'default' }),
    );
  } catch {
    return ref.toLowerCase();
  }
};

const rate = (part: number, whole: number) =>
  Math.round((part / whole) * 1000) / 1000;

/**
 * Each template's runs, outcomes, duration and time saved, and how many of the
 * catalog's components were created from a template.
 */
export class GoldenPathsSection {
  constructor(
    private readonly deps: {
      store: DashboardStore;
      scope: DashboardScope;
      entities: CatalogEntities;
    },
  ) {}

  async read(query: DashboardQuery) {
    const { store, scope, entities } = this.deps;
    const [runs, templates, components] = await Promise.all([
      store.scaffolderRuns(
        query.fromDay,
        query.toDay,
        await scope.people(query),
      ),
      entities.ofKind('Template', ['metadata.title', 'metadata.annotations']),
      entities.ofKind('Component', ['metadata.annotations']),
    ]);
    const createdFrom = this.countCreatedFrom(components);
    const byTemplate = new Map<string, ScaffolderRunRow[]>();
    for (const run of runs) {
      const ref = normalizeRef(run.templateRef, 'template');
      // Appended in place: copying the template's list per run was quadratic.
      const list = byTemplate.get(ref);
      if (list) list.push(run);
      else byTemplate.set(ref, [run]);
    }
    const templateRefs = new Set<string>([
      ...templates.map(t => stringifyEntityRef(t)),
      ...byTemplate.keys(),
    ]);
    const entityOf = new Map<string, Entity>(
      templates.map(t => [stringifyEntityRef(t), t]),
    );
    const rows = [...templateRefs].map(templateRef => ({
      ...this.templateRow(
        templateRef,
        entityOf.get(templateRef),
        byTemplate.get(templateRef) ?? [],
      ),
      components: createdFrom.get(templateRef) ?? 0,
    }));
    const fromTemplates = [...createdFrom.values()].reduce((a, b) => a + b, 0);
    return {
      ...scope.header(query),
      templates: rows.sort((a, b) => (b.runs ?? 0) - (a.runs ?? 0)),
      components: {
        total: components.length,
        fromTemplates,
        share:
          components.length === 0
            ? null
            : rate(fromTemplates, components.length),
      },
    };
  }

  /** How many components name each template (by normalized ref) as their source. */
  private countCreatedFrom(components: Entity[]): Map<string, number> {
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
    return createdFrom;
  }

  /** One template's figures; all null when its runs are by too few people. */
  private templateRow(
    templateRef: string,
    entity: Entity | undefined,
    list: ScaffolderRunRow[],
  ) {
    const succeeded = list.filter(r => r.outcome === 'completed');
    const people = new Set(list.map(r => r.createdBy ?? '?')).size;
    const timeSavedPerRunMs = parseIsoDuration(
      entity?.metadata.annotations?.[TIME_SAVED_ANNOTATION],
    );
    const suppressed = list.length > 0 && people < this.deps.scope.min;
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
          : rate(succeeded.length, list.length),
      medianDurationMs: suppressed ? null : median(durations) ?? null,
      timeSavedPerRunMs: timeSavedPerRunMs ?? null,
      timeSavedMs:
        suppressed || timeSavedPerRunMs === undefined
          ? null
          : timeSavedPerRunMs * succeeded.length,
    };
  }
}

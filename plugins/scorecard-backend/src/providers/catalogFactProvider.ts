import {
  Entity,
  RELATION_OWNED_BY,
  RELATION_PROVIDES_API,
} from '@backstage/catalog-model';
import { FactValue } from '@paved/plugin-scorecard-common';
import { FactProvider } from '@paved/plugin-scorecard-node';
import { runbookAppliesTo } from '@paved/plugin-runbooks-common';
import { refOf, relationTargets } from './refs';

/** Annotations that point at dashboards, metrics or traces. */
const OBSERVABILITY = [
  /^(prometheus\.io\/|grafana\/dashboard-selector$|grafana\/alert-label-selector$|paved\.dev\/dashboards$|datadoghq\.com\/|newrelic\.com\/)/,
];
const ON_CALL = [
  /^(pagerduty\.com\/|opsgenie\.com\/|paved\.dev\/on-call$|incident\.io\/)/,
];

const has = (annotations: Record<string, string>, patterns: RegExp[]) =>
  Object.keys(annotations).some(key => patterns.some(p => p.test(key)));

/**
 * Facts from the catalog itself: ownership, description, lifecycle, docs reference,
 * links, annotations and the APIs an entity provides.
 */
export const catalogFactProvider: FactProvider = {
  id: 'catalog',
  facts: [
    {
      id: 'catalog.hasOwner',
      type: 'boolean',
      description: 'spec.owner is set',
    },
    {
      id: 'catalog.ownerExists',
      type: 'boolean',
      description: 'The owner is a Group or User in the catalog',
    },
    {
      id: 'catalog.hasDescription',
      type: 'boolean',
      description: 'metadata.description is set',
    },
    { id: 'catalog.lifecycle', type: 'string', description: 'spec.lifecycle' },
    {
      id: 'catalog.hasSystem',
      type: 'boolean',
      description: 'spec.system is set',
    },
    {
      id: 'catalog.hasSourceLocation',
      type: 'boolean',
      description: 'A source-location annotation or a url managed-by location',
    },
    {
      id: 'catalog.hasTechDocsRef',
      type: 'boolean',
      description: 'backstage.io/techdocs-ref is set',
    },
    {
      id: 'catalog.providedApis',
      type: 'number',
      description: 'APIs the entity provides',
    },
    {
      id: 'catalog.apisWithoutDefinition',
      type: 'number',
      description:
        'Provided APIs missing from the catalog or without spec.definition',
    },
    {
      id: 'catalog.hasRunbook',
      type: 'boolean',
      description: 'A runbook link, or a runbook template that applies',
    },
    {
      id: 'catalog.observability',
      type: 'set',
      description: 'Observability annotations present',
    },
    {
      id: 'catalog.hasOnCall',
      type: 'boolean',
      description:
        'An on-call annotation (PagerDuty, Opsgenie, paved.dev/on-call)',
    },
  ],
  async retrieve(entities, { lookup }) {
    const owners = new Set<string>();
    const apis = new Set<string>();
    for (const e of entities) {
      relationTargets(e, RELATION_OWNED_BY).forEach(r => owners.add(r));
      relationTargets(e, RELATION_PROVIDES_API).forEach(r => apis.add(r));
    }
    const [ownerEntities, apiEntities, templates] = await Promise.all([
      lookup.getByRefs([...owners]),
      lookup.getByRefs([...apis]),
      lookup.getByKind('Template'),
    ]);
    const runbooks = templates.filter(t => t.spec?.type === 'runbook');
    const result = new Map<string, Record<string, FactValue>>();
    for (const e of entities) {
      const annotations = e.metadata.annotations ?? {};
      const ownerRefs = relationTargets(e, RELATION_OWNED_BY);
      const provided = relationTargets(e, RELATION_PROVIDES_API);
      const managedBy = annotations['backstage.io/managed-by-location'] ?? '';
      result.set(refOf(e), {
        'catalog.hasOwner': Boolean(e.spec?.owner),
        'catalog.ownerExists':
          ownerRefs.length > 0 && ownerRefs.every(r => ownerEntities.has(r)),
        'catalog.hasDescription': Boolean(e.metadata.description?.trim()),
        'catalog.lifecycle':
          typeof e.spec?.lifecycle === 'string' ? e.spec.lifecycle : null,
        'catalog.hasSystem': Boolean(e.spec?.system),
        'catalog.hasSourceLocation':
          Boolean(annotations['backstage.io/source-location']) ||
          /^url:/.test(managedBy),
        'catalog.hasTechDocsRef': Boolean(
          annotations['backstage.io/techdocs-ref'],
        ),
        'catalog.providedApis': provided.length,
        'catalog.apisWithoutDefinition': provided.filter(
          r => !apiEntities.get(r)?.spec?.definition,
        ).length,
        'catalog.hasRunbook':
          (e.metadata.links ?? []).some(
            l =>
              /runbook/i.test(l.title ?? '') || /runbook/i.test(l.type ?? ''),
          ) || runbooks.some(t => runbookAppliesTo(t, e as Entity)),
        'catalog.observability': Object.keys(annotations).filter(k =>
          OBSERVABILITY.some(p => p.test(k)),
        ),
        'catalog.hasOnCall': has(annotations, ON_CALL),
      });
    }
    return result;
  },
};

import { FactValue } from '@paved/plugin-scorecard-common';
import { FactProvider } from '@paved/plugin-scorecard-node';
import {
  normalizeTemplateRef,
  TEMPLATE_ANNOTATION,
  TEMPLATE_VERSION_ANNOTATION,
} from '@paved/plugin-upgrades-common';
import { refOf } from './refs';

/** Annotation values seen before: most services name one of a few templates. */
const parsed = new Map<string, string | undefined>();
const templateRef = (value: string) => {
  if (!parsed.has(value)) {
    if (parsed.size > 10000) parsed.clear();
    parsed.set(value, normalizeTemplateRef(value));
  }
  return parsed.get(value);
};

/**
 * Golden-path lineage: the template an entity was created from, and whether it is
 * still on that template's latest version.
 */
export const lineageFactProvider: FactProvider = {
  id: 'lineage',
  facts: [
    {
      id: 'lineage.fromGoldenPath',
      type: 'boolean',
      description: 'Created from a template that is in the catalog',
    },
    {
      id: 'lineage.template',
      type: 'string',
      description: 'The template it was created from',
    },
    {
      id: 'lineage.templateVersion',
      type: 'string',
      description: 'The template version it was created from',
    },
    {
      id: 'lineage.onLatestVersion',
      type: 'boolean',
      description: "On the template's current paved.dev/template-version",
    },
  ],
  async retrieve(entities, { lookup }) {
    const refs = new Set<string>();
    for (const e of entities) {
      const value = e.metadata.annotations?.[TEMPLATE_ANNOTATION];
      const ref = value && templateRef(value);
      if (ref) refs.add(ref);
    }
    const templates = await lookup.getByRefs([...refs]);
    const result = new Map<string, Record<string, FactValue>>();
    for (const e of entities) {
      const value = e.metadata.annotations?.[TEMPLATE_ANNOTATION];
      const version =
        e.metadata.annotations?.[TEMPLATE_VERSION_ANNOTATION] ?? null;
      const ref = value ? templateRef(value) : undefined;
      const template = ref ? templates.get(ref) : undefined;
      const latest =
        template?.metadata.annotations?.[TEMPLATE_VERSION_ANNOTATION];
      result.set(refOf(e), {
        'lineage.fromGoldenPath': Boolean(template),
        'lineage.template': ref ?? null,
        'lineage.templateVersion': version,
        'lineage.onLatestVersion':
          Boolean(template) &&
          version !== null &&
          (latest === undefined || latest === version),
      });
    }
    return result;
  },
};

import { RELATION_DEPENDS_ON } from '@backstage/catalog-model';
import { FactValue } from '@paved/plugin-scorecard-common';
import { FactProvider } from '@paved/plugin-scorecard-node';
import { refOf, relationTargets } from './refs';

/** Set on the Resource entities that provisioning creates. */
const PROVISIONING_REQUEST_ANNOTATION = 'paved.dev/provisioning-request';

/**
 * Self-service infrastructure: the Resources a component depends on (their
 * `dependencyOf`), split into those provisioned through self-service and the rest.
 */
export const provisioningFactProvider: FactProvider = {
  id: 'provisioning',
  facts: [
    {
      id: 'provisioning.selfServiceResources',
      type: 'number',
      description: 'Resources provisioned through self-service',
    },
    {
      id: 'provisioning.manualResources',
      type: 'number',
      description: 'Resources not provisioned through self-service',
    },
  ],
  async retrieve(entities, { lookup }) {
    const deps = new Map<string, string[]>();
    const all = new Set<string>();
    for (const e of entities) {
      const resources = relationTargets(e, RELATION_DEPENDS_ON).filter(r =>
        r.startsWith('resource:'),
      );
      deps.set(refOf(e), resources);
      resources.forEach(r => all.add(r));
    }
    const resources = await lookup.getByRefs([...all]);
    const result = new Map<string, Record<string, FactValue>>();
    for (const [ref, targets] of deps) {
      const found = targets.map(t => resources.get(t)).filter(Boolean);
      const self = found.filter(
        r => r!.metadata.annotations?.[PROVISIONING_REQUEST_ANNOTATION],
      ).length;
      result.set(ref, {
        'provisioning.selfServiceResources': self,
        'provisioning.manualResources': found.length - self,
      });
    }
    return result;
  },
};

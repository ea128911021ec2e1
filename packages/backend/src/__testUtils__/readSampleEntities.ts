import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import { Entity } from '@backstage/catalog-model';

/**
 * Reads the entities the portal loads at start (the root catalog-info.yaml and the
 * sample organization), following Location targets as the catalog does, so tests
 * compare the catalog with the files rather than with a hard-coded count.
 */
export function readSampleEntities(root: string): Entity[] {
  const entities: Entity[] = [];
  const visit = (file: string) => {
    const documents = yaml.parseAllDocuments(fs.readFileSync(file, 'utf8'));
    for (const document of documents) {
      const entity = document.toJS() as Entity | null;
      if (!entity) continue;
      entities.push(entity);
      if (entity.kind === 'Location') {
        const spec = entity.spec as { target?: string; targets?: string[] };
        for (const target of [spec.target, ...(spec.targets ?? [])]) {
          if (target) visit(path.resolve(path.dirname(file), target));
        }
      }
    }
  };
  visit(path.join(root, 'catalog-info.yaml'));
  visit(path.join(root, 'examples/org/all.yaml'));
  return entities;
}

import {
  TEMPLATE_ANNOTATION,
  TEMPLATE_VERSION_ANNOTATION,
} from '@paved/plugin-upgrades-common';
import { parseAllDocuments } from 'yaml';

export interface Lineage {
  templateRef: string;
  templateVersion: string;
}

/**
 * Adds the lineage annotations to every entity in a catalog-info file, keeping the
 * rest of the file (comments, order, other documents) as it was. Running it twice
 * gives the same text, so a retried step changes nothing.
 */
export function addLineage(catalogInfo: string, lineage: Lineage): string {
  const documents = parseAllDocuments(catalogInfo);
  let entities = 0;
  for (const document of documents) {
    if (document.errors.length > 0) {
      throw new Error(
        `catalog-info is not valid YAML: ${document.errors[0].message}`,
      );
    }
    const value = document.toJS() as {
      kind?: unknown;
      metadata?: unknown;
    } | null;
    if (
      !value ||
      typeof value.kind !== 'string' ||
      typeof value.metadata !== 'object'
    ) {
      continue;
    }
    document.setIn(
      ['metadata', 'annotations', TEMPLATE_ANNOTATION],
      lineage.templateRef,
    );
    document.setIn(
      ['metadata', 'annotations', TEMPLATE_VERSION_ANNOTATION],
      lineage.templateVersion,
    );
    entities += 1;
  }
  if (entities === 0) {
    throw new Error(
      'catalog-info holds no entity (a document with kind and metadata)',
    );
  }
  return documents.map(document => document.toString()).join('');
}

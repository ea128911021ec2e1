import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/**
 * The annotation on a component made from a golden path that names its template
 * (written by the `paved:catalog:lineage` scaffolder action).
 */
export const TEMPLATE_ANNOTATION = 'paved.dev/template';

/**
 * On a Template: its current released version. On a component made from it: the
 * version it was made from (or last upgraded to).
 */
export const TEMPLATE_VERSION_ANNOTATION = 'paved.dev/template-version';

/**
 * A template ref as the catalog spells it, in lower case, so that refs compare as
 * strings: `typescript-service` and `Template:default/TypeScript-Service` are both
 * `template:default/typescript-service`. Undefined when it is not an entity ref.
 */
export function normalizeTemplateRef(ref: string): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref, {
        defaultKind: 'template',
        defaultNamespace: 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}

import { Entity } from '@backstage/catalog-model';

/** The `spec.type` of a scaffolder Template that is a runbook. @public */
export const RUNBOOK_TEMPLATE_TYPE = 'runbook';

/** The kind of entity a runbook applies to, e.g. `Component`. @public */
export const RUNBOOK_APPLIES_TO_KIND_ANNOTATION =
  'paved.dev/runbook-applies-to-kind';
/** A comma list of the entity's `spec.type`s, e.g. `service,website`; absent: any. @public */
export const RUNBOOK_APPLIES_TO_TYPE_ANNOTATION =
  'paved.dev/runbook-applies-to-type';
/** An annotation the entity must have, e.g. `backstage.io/kubernetes-id`; absent: none. @public */
export const RUNBOOK_REQUIRES_ANNOTATION_ANNOTATION =
  'paved.dev/runbook-requires-annotation';

/**
 * Where the runbook's docs are, as a path in the portal (entity links must be full
 * URLs), e.g. `/docs/default/component/paved-portal/runbooks/#restart-deployment`.
 * @public
 */
export const RUNBOOK_DOCS_ANNOTATION = 'paved.dev/runbook-docs';

/** Whether a Template is a runbook. @public */
export function isRunbookTemplate(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'template' &&
    entity.spec?.type === RUNBOOK_TEMPLATE_TYPE
  );
}

/**
 * Whether the runbook `template` applies to `entity`, by the template's applies-to
 * annotations: the kind (case-insensitive), one of the types, the required annotation.
 *
 * @public
 */
export function runbookAppliesTo(template: Entity, entity: Entity): boolean {
  if (!isRunbookTemplate(template)) {
    return false;
  }
  const annotations = template.metadata.annotations ?? {};
  const kind = annotations[RUNBOOK_APPLIES_TO_KIND_ANNOTATION];
  if (
    kind &&
    kind.toLocaleLowerCase('en-US') !== entity.kind.toLocaleLowerCase('en-US')
  ) {
    return false;
  }
  const types = (annotations[RUNBOOK_APPLIES_TO_TYPE_ANNOTATION] ?? '')
    .split(',')
    .map(type => type.trim())
    .filter(Boolean);
  if (types.length > 0 && !types.includes(String(entity.spec?.type ?? ''))) {
    return false;
  }
  const required = annotations[RUNBOOK_REQUIRES_ANNOTATION_ANNOTATION]?.trim();
  if (required && !entity.metadata.annotations?.[required]) {
    return false;
  }
  return true;
}

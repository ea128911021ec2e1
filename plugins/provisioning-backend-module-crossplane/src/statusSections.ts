import { JsonObject, JsonValue } from '@backstage/types';
import { ResourceStatusSection } from '@paved/plugin-provisioning-common';
import { isJsonObject } from './isJsonObject';
import { Condition } from './xrd';

/** The most status fields listed; a composite resource's status is the XRD's to shape. */
const MAX_ITEMS = 30;
/** The longest value shown; lists and objects are shown as JSON. */
const MAX_VALUE_LENGTH = 200;
/** Status fields Crossplane keeps for itself. */
const INTERNAL_FIELDS = new Set(['conditions', 'crossplane']);

function shown(value: JsonValue): string | number {
  if (typeof value === 'number') {
    return value;
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_VALUE_LENGTH
    ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…`
    : text;
}

/** `{ a: { b: 1 }, c: [1] }` as `a.b: 1`, `c: [1]`. */
function flatten(
  object: JsonObject,
  prefix = '',
): Array<{ label: string; value: string | number }> {
  return Object.entries(object).flatMap(([key, value]) => {
    const label = `${prefix}${key}`;
    if (isJsonObject(value) && Object.keys(value).length > 0) {
      return flatten(value, `${label}.`);
    }
    return value === undefined ? [] : [{ label, value: shown(value) }];
  });
}

/**
 * A composite resource's live status as the request page shows it: its conditions
 * (a table), and the fields of its `status` the XRD declares (a section of items).
 */
export function statusSections(
  kind: string,
  status: JsonObject | undefined,
): ResourceStatusSection[] {
  const conditions = (status?.conditions ?? []) as unknown as Condition[];
  const sections: ResourceStatusSection[] = [
    conditions.length > 0
      ? {
          title: 'Conditions',
          table: {
            columns: ['Type', 'Status', 'Reason', 'Message', 'Since'],
            rows: conditions.map(condition => [
              condition.type,
              condition.status,
              condition.reason ?? '',
              condition.message ?? '',
              condition.lastTransitionTime ?? '',
            ]),
          },
        }
      : {
          title: 'Conditions',
          message: `Crossplane has not reported on this ${kind} yet`,
        },
  ];
  const fields = flatten(
    Object.fromEntries(
      Object.entries(status ?? {}).filter(([key]) => !INTERNAL_FIELDS.has(key)),
    ),
  );
  if (fields.length > 0) {
    const more = fields.length - MAX_ITEMS;
    sections.push({
      title: `${kind} status`,
      items: fields.slice(0, MAX_ITEMS),
      ...(more > 0 ? { message: `and ${more} more fields` } : {}),
    });
  }
  return sections;
}

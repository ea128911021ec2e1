import { JsonValue } from '@backstage/types';
import { isJsonObject } from './isJsonObject';

/**
 * Whether `live` still holds `want`: every field of an object (the API server adds
 * defaults and other managers' fields, which are not drift), every item of a list,
 * and equal values.
 */
function holds(
  want: JsonValue | undefined,
  live: JsonValue | undefined,
): boolean {
  if (isJsonObject(want)) {
    return (
      isJsonObject(live) &&
      Object.entries(want).every(([key, value]) => holds(value, live[key]))
    );
  }
  if (Array.isArray(want)) {
    return (
      Array.isArray(live) &&
      live.length === want.length &&
      want.every((item, index) => holds(item, live[index]))
    );
  }
  return want === live;
}

/**
 * The fields Paved set (`spec.<field>`, `metadata.labels.<label>`) that no longer
 * hold what it set, e.g. after a `kubectl edit`; empty when nothing drifted.
 */
export function driftedFields(
  want: { spec?: JsonValue; labels?: Record<string, string> },
  live: { spec?: JsonValue; labels?: Record<string, string> },
): string[] {
  const spec = isJsonObject(want.spec) ? want.spec : {};
  const liveSpec = isJsonObject(live.spec) ? live.spec : {};
  return [
    ...Object.entries(spec)
      .filter(([key, value]) => !holds(value, liveSpec[key]))
      .map(([key]) => `spec.${key}`),
    ...Object.entries(want.labels ?? {})
      .filter(([key, value]) => live.labels?.[key] !== value)
      .map(([key]) => `metadata.labels.${key}`),
  ];
}

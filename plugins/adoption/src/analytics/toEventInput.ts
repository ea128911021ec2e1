import { AnalyticsEvent } from '@backstage/frontend-plugin-api';
import { AnalyticsEventInput } from '@paved/plugin-adoption-common';

const cut = (value: string, max: number) =>
  value.length > max ? value.slice(0, max) : value;

/**
 * An event as the backend accepts it: one over-long field would make the server
 * refuse the whole batch, so strings are cut to the schema's limits here.
 */
export function toEventInput(
  event: AnalyticsEvent,
  capturedAt: Date,
): AnalyticsEventInput {
  const { pluginId, routeRef, entityRef, ...rest } = event.context as Record<
    string,
    string | number | boolean | undefined
  >;
  const context: AnalyticsEventInput['context'] = {
    pluginId: cut(String(pluginId || 'app'), 100),
  };
  if (routeRef !== undefined) context.routeRef = cut(String(routeRef), 255);
  if (entityRef !== undefined) context.entityRef = cut(String(entityRef), 255);
  // `extensionId` (new frontend system) and whatever else the app adds.
  for (const [key, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    context[key] = typeof value === 'string' ? cut(value, 255) : value;
  }

  const input: AnalyticsEventInput = {
    action: cut(event.action || 'unknown', 100),
    subject: cut(event.subject ?? '', 1000),
    context,
    timestamp: capturedAt.toISOString(),
  };
  if (typeof event.value === 'number' && Number.isFinite(event.value)) {
    input.value = event.value;
  }
  if (event.attributes) {
    input.attributes = Object.fromEntries(
      Object.entries(event.attributes).map(([key, value]) => [
        cut(key, 100),
        typeof value === 'string' ? cut(value, 1000) : value,
      ]),
    );
  }
  return input;
}

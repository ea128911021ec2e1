import { JsonObject, JsonValue } from '@backstage/types';
import {
  formatPlaceholder,
  PlaceholderError,
  ScoreWorkload,
} from '@paved/plugin-deployments-common';
import { interpolateText, Resolver, resolverFor } from './placeholders';
import { ROUTE_TYPE } from './routes';

/**
 * The `params` of a workload's resource as its type receives them, with
 * `${metadata.*}` placeholders resolved (and `$$` escapes undone). The params of a
 * `route` are returned as written: the renderer resolves them, resource outputs
 * included. Any other resource is requested side by side with the others, before
 * their outputs exist (no ordering between resources), so a `${resources.*}`
 * placeholder in its params is a RenderError naming the field.
 */
export function resolveResourceParams(
  workload: ScoreWorkload,
  name: string,
): JsonObject | undefined {
  const resource = workload.resources?.[name];
  const params = resource?.params as JsonObject | undefined;
  if (!resource || !params || resource.type === ROUTE_TYPE) {
    return params;
  }
  const metadata = resolverFor(workload, {});
  const resolve: Resolver = path => {
    if (path[0] === 'resources') {
      const raw = formatPlaceholder(path);
      throw new PlaceholderError(
        raw,
        `placeholder ${raw}: the params of a ${resource.type} resource cannot use other resources' outputs (resources are made side by side, not one after another); only \${metadata.*} placeholders are resolved here, and resource outputs in route params`,
      );
    }
    return metadata(path);
  };
  const walk = (at: string, value: JsonValue): JsonValue => {
    if (typeof value === 'string') {
      return interpolateText(at, value, resolve, 'resource params');
    }
    if (Array.isArray(value)) {
      return value.map((item, i) => walk(`${at}[${i}]`, item));
    }
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [
          key,
          walk(`${at}.${key}`, item as JsonValue),
        ]),
      );
    }
    return value;
  };
  return walk(`resources.${name}.params`, params) as JsonObject;
}

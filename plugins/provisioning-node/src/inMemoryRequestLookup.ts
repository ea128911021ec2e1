import { JsonObject } from '@backstage/types';
import { isDeepStrictEqual } from 'node:util';
import { ReferencedRequest, RequestLookup } from './StepContext';

/**
 * A {@link RequestLookup} over a fixed list, for tests of resource type modules that
 * run their steps without the engine.
 *
 * @public
 */
export function inMemoryRequestLookup(
  requests: ReferencedRequest[] = [],
): RequestLookup {
  const active = () =>
    requests.filter(r => r.state !== 'deleted' && r.state !== 'rejected');
  return {
    async findActive(type, name) {
      return active().find(r => r.type === type && r.name === name);
    },
    async listActive(type, parameters: JsonObject = {}) {
      return active().filter(
        r =>
          r.type === type &&
          Object.entries(parameters).every(([key, value]) =>
            isDeepStrictEqual(r.parameters[key], value),
          ),
      );
    },
  };
}

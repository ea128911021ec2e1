import { JsonObject } from '@backstage/types';
import { isDeepStrictEqual } from 'node:util';
import { listAttachedRequests } from './attachedRequests';
import { ResourceType } from './ResourceType';
import { ReferencedRequest, RequestLookup } from './StepContext';

/**
 * A {@link RequestLookup} over a fixed list, for tests of resource type modules that
 * run their steps without the engine. `types` are the registered types that
 * `listAttached` looks through.
 *
 * @public
 */
export function inMemoryRequestLookup(
  requests: ReferencedRequest[] = [],
  types: Pick<ResourceType<any>, 'id' | 'environmentCopy'>[] = [],
): RequestLookup {
  const active = () =>
    requests.filter(r => r.state !== 'deleted' && r.state !== 'rejected');
  const lookup: RequestLookup = {
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
    listAttached: environment =>
      listAttachedRequests(types, lookup.listActive, environment),
  };
  return lookup;
}

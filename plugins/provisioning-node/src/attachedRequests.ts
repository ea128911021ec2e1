import { JsonObject } from '@backstage/types';
import { ENVIRONMENT_NAME_PARAMETER } from './environmentAttachment';
import { ResourceType } from './ResourceType';
import { AttachedRequest, RequestLookup } from './StepContext';

/**
 * `RequestLookup.listAttached` over `listActive`, for the types that declare
 * `environmentCopy`: one implementation for the engine's lookup and the in-memory one.
 *
 * @public
 */
export async function listAttachedRequests(
  types: Iterable<Pick<ResourceType<any>, 'id' | 'environmentCopy'>>,
  listActive: RequestLookup['listActive'],
  environment: string,
): Promise<AttachedRequest[]> {
  const attached: AttachedRequest[] = [];
  const attachable = [...types]
    .filter(type => type.environmentCopy)
    .sort((a, b) => a.id.localeCompare(b.id));
  for (const type of attachable) {
    const copy = type.environmentCopy!;
    const requests = await listActive(type.id, {
      [ENVIRONMENT_NAME_PARAMETER]: environment,
    });
    for (const request of requests.sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      attached.push({
        request,
        seedAction: copy.seedAction,
        copyParameters: ({ seeded }) => {
          // A copy of the type's answer: it may hand back the source's own object.
          const parameters: JsonObject = {
            ...(copy.parameters
              ? copy.parameters(request.parameters, {
                  sourceName: request.name,
                  seeded,
                })
              : request.parameters),
          };
          delete parameters[ENVIRONMENT_NAME_PARAMETER];
          return parameters;
        },
      });
    }
  }
  return attached;
}

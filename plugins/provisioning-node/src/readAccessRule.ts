import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { ResourceType } from './ResourceType';

const groupRef = (ref: string) =>
  stringifyEntityRef(
    parseEntityRef(ref, { defaultKind: 'group', defaultNamespace: 'default' }),
  );

/**
 * The `references` and `policy` of a type that gives read access to the resource of
 * another request (a database, a bucket), which its parameter `parameter` names: the
 * requester must be allowed to read that request (else a 403 naming the field), and
 * another team's access needs the approval of the resource's owners, while the
 * owning team's own components get it at once. Each request counts 1 against quotas.
 *
 * @public
 */
export function readAccessRule<TParams extends JsonObject>(options: {
  /** The parameter that names the other request, e.g. `bucket`. */
  parameter: keyof TParams & string;
  /** The other request's resource type, e.g. `s3-bucket`. */
  type: string;
  /** What is asked for, for the approval's reason, e.g. `read access to bucket images`. */
  describe: (name: string) => string;
}): Required<Pick<ResourceType<TParams>, 'references' | 'policy'>> {
  const { parameter, type, describe } = options;
  const field = `parameters.${parameter}`;
  return {
    references: request => [
      {
        field,
        type,
        name: String(request.parameters[parameter]),
        permission: 'read',
      },
    ],
    policy: {
      quotaCost: () => 1,
      requiresApproval: (request, context) => {
        const resource = context?.references?.[field];
        if (!resource) {
          // The engine resolves references before the policy runs; should it not
          // have, someone still has to say yes.
          return {
            reason: `${describe(
              String(request.parameters[parameter]),
            )} needs an approval: its owner is not known`,
          };
        }
        if (groupRef(resource.owner) === groupRef(request.owner)) {
          return undefined;
        }
        return {
          reason: `${describe(resource.name)} of ${
            resource.owner
          } needs its owner's approval`,
          approvers: resource.owner,
        };
      },
    },
  };
}

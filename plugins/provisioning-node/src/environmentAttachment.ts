import { JsonObject } from '@backstage/types';
import { teamNamespace } from '@paved/plugin-provisioning-common';
import { NonRetryableError } from './NonRetryableError';
import { RequestReference, ResourceRequestInput } from './ResourceType';
import { StatusContext, StepContext } from './StepContext';

/*
 * Environments hold resources of other types: a database, a queue or a bucket whose
 * `environmentName` parameter names an environment request delivers its Secret into
 * that environment's namespace, a copy of the environment gets fresh ones of its
 * own, and deleting the environment deletes them. This is the one place that rule
 * lives; a type opts in by putting `environmentNameSchema` in its parameters,
 * `environmentReferences` in its references, resolving its Secret's namespace with
 * `deliveryNamespace`, and declaring `environmentCopy` (see `ResourceType`).
 */

/**
 * The parameter of a request that attaches it to an environment.
 *
 * @public
 */
export const ENVIRONMENT_NAME_PARAMETER = 'environmentName';

/**
 * The field errors about the attachment name.
 *
 * @public
 */
export const ENVIRONMENT_NAME_FIELD = `parameters.${ENVIRONMENT_NAME_PARAMETER}`;

/**
 * The resource type id of environments.
 *
 * @public
 */
export const ENVIRONMENT_TYPE = 'environment';

/**
 * Who the provisioning plugin acts as when it makes requests itself, e.g. the
 * attached resources of an environment copy.
 *
 * @public
 */
export const PROVISIONING_PLUGIN = 'plugin:provisioning';

/** A DNS label, as environment (namespace) names are. */
const ENVIRONMENT_REQUEST_NAME = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

/**
 * The `environmentName` property of a type's parameter schema.
 *
 * @param what - what the type makes, for the description, e.g. `database`.
 * @public
 */
export function environmentNameSchema(what: string): JsonObject {
  return {
    type: 'string',
    title: 'Environment (namespace)',
    description: `The name of an environment (an environment request) the ${what} is attached to: its Secret goes into that environment's namespace instead of your team's, a copy of the environment gets a ${what} of its own, and deleting the environment deletes the ${what}. Optional.`,
    maxLength: 63,
    pattern: ENVIRONMENT_REQUEST_NAME,
  };
}

/**
 * What a type's `references` returns for the attachment: attaching puts credentials
 * into the environment's namespace, so only its owners (and the platform team) may.
 * The provisioning plugin attaches the resources of an environment copy while the
 * copy is still provisioning, so its own requests are not checked; their steps find
 * the environment themselves (`deliveryNamespace`).
 *
 * @public
 */
export function environmentReferences(
  request: ResourceRequestInput<JsonObject>,
): RequestReference[] {
  const name = request.parameters[ENVIRONMENT_NAME_PARAMETER];
  if (typeof name !== 'string' || !name) {
    return [];
  }
  if (request.createdBy === PROVISIONING_PLUGIN) {
    return [];
  }
  return [
    {
      field: ENVIRONMENT_NAME_FIELD,
      type: ENVIRONMENT_TYPE,
      name,
      permission: 'update',
    },
  ];
}

/**
 * Where a resource's Secret goes.
 *
 * @public
 */
export interface DeliveryNamespace {
  namespace: string;
  /** The environment it is attached to; its namespace is the environment's own. */
  environment?: string;
}

/**
 * Where a new resource's Secret goes: the namespace of the environment it is attached
 * to, else the owning team's namespace. A NonRetryableError naming the field when the
 * environment is gone; a retryable one while it has no namespace yet.
 *
 * @public
 */
export async function deliveryNamespace(
  ctx: Pick<StepContext<JsonObject>, 'request' | 'requests'>,
): Promise<DeliveryNamespace> {
  const name = ctx.request.parameters[ENVIRONMENT_NAME_PARAMETER];
  if (typeof name !== 'string' || !name) {
    return { namespace: teamNamespace(ctx.request.owner) };
  }
  const environment = await ctx.requests.findActive(ENVIRONMENT_TYPE, name);
  if (!environment) {
    throw new NonRetryableError(
      `${ENVIRONMENT_NAME_FIELD}: there is no environment '${name}' (any more)`,
    );
  }
  const { namespace } = environment.outputs;
  if (typeof namespace !== 'string' || !namespace) {
    throw new Error(
      `${ENVIRONMENT_NAME_FIELD}: environment '${name}' has no namespace yet`,
    );
  }
  return { namespace, environment: name };
}

/**
 * The namespace of the Secret as provisioning recorded it in the output `output`:
 * rotation and deletion follow the Secret where it was made (an environment's
 * namespace or the team's), even after the environment is gone. The team's when
 * provisioning never got as far as the Secret.
 *
 * @public
 */
export function recordedDeliveryNamespace(
  ctx: Pick<StatusContext<JsonObject>, 'request' | 'outputs'>,
  output: string = 'secretNamespace',
): DeliveryNamespace {
  const recorded = ctx.outputs[output];
  const environment = ctx.request.parameters[ENVIRONMENT_NAME_PARAMETER];
  if (typeof recorded === 'string' && recorded) {
    return {
      namespace: recorded,
      environment:
        typeof environment === 'string' && environment
          ? environment
          : undefined,
    };
  }
  return { namespace: teamNamespace(ctx.request.owner) };
}

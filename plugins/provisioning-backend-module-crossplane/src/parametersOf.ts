import { JsonObject } from '@backstage/types';
import { isJsonObject } from './isJsonObject';
import {
  ENVIRONMENT_NAME_PARAMETER,
  environmentNameSchema,
} from '@paved/plugin-provisioning-node';
import { openApiToJsonSchema } from './openApiToJsonSchema';

/**
 * Fields of a composite resource's spec that are not the requester's to set: v2's
 * `crossplane` (composition selection, resource refs), the same fields at the top
 * of v1-style specs, and the connection Secret's reference, which Paved sets.
 */
export const PLATFORM_OWNED_FIELDS = [
  'crossplane',
  'compositionRef',
  'compositionSelector',
  'compositionRevisionRef',
  'compositionRevisionSelector',
  'compositionUpdatePolicy',
  'compositeDeletePolicy',
  'resourceRef',
  'resourceRefs',
  'claimRef',
  'environmentConfigRefs',
  'writeConnectionSecretToRef',
  'publishConnectionDetailsTo',
];

/**
 * The request form of an XRD version and what Paved sets itself: the JSON Schema of
 * its `spec` without the platform-owned fields, plus `environmentName`; and whether
 * the spec declares `writeConnectionSecretToRef.name`, Crossplane v2's convention for
 * where a composition writes the composite resource's connection Secret (in the
 * composite resource's namespace).
 */
export function parametersOf(
  openAPIV3Schema: JsonObject | undefined,
  what: string,
): { parameters: JsonObject; connectionSecret: boolean } {
  const spec = isJsonObject(openAPIV3Schema?.properties)
    ? openAPIV3Schema!.properties.spec
    : undefined;
  const specSchema: JsonObject = isJsonObject(spec) ? spec : { type: 'object' };
  const converted = openApiToJsonSchema(specSchema);
  const declared = isJsonObject(converted.properties)
    ? converted.properties
    : {};
  if (ENVIRONMENT_NAME_PARAMETER in declared) {
    throw new Error(
      `its spec declares '${ENVIRONMENT_NAME_PARAMETER}', which Paved uses to attach a resource to an environment`,
    );
  }
  const properties = Object.fromEntries(
    Object.entries(declared).filter(
      ([name]) => !PLATFORM_OWNED_FIELDS.includes(name),
    ),
  );
  const required = Array.isArray(converted.required)
    ? converted.required.filter(
        name => typeof name === 'string' && name in properties,
      )
    : [];
  const secretRef = isJsonObject(specSchema.properties)
    ? specSchema.properties.writeConnectionSecretToRef
    : undefined;
  const connectionSecret =
    isJsonObject(secretRef) &&
    isJsonObject(secretRef.properties) &&
    isJsonObject(secretRef.properties.name) &&
    secretRef.properties.name.type === 'string';

  const parameters: JsonObject = { type: 'object' };
  if (typeof converted.description === 'string') {
    parameters.description = converted.description;
  }
  parameters.properties = {
    ...properties,
    [ENVIRONMENT_NAME_PARAMETER]: environmentNameSchema(what),
  };
  if (required.length > 0) {
    parameters.required = required;
  }
  // Unless the spec keeps unknown fields, the API server would prune them: refused
  // here. (min/maxProperties would count environmentName: the API server checks them.)
  parameters.additionalProperties =
    converted.additionalProperties ??
    specSchema['x-kubernetes-preserve-unknown-fields'] === true;
  for (const keyword of ['allOf', 'anyOf', 'oneOf', 'not']) {
    if (converted[keyword] !== undefined) {
      parameters[keyword] = converted[keyword];
    }
  }
  return { parameters, connectionSecret };
}

import { Entity } from '@backstage/catalog-model';
import { ProvisioningRequest } from '@paved/plugin-provisioning-common';

/** Annotations on provisioned Resource entities, read by the scorecard and runbooks. */
export const REQUEST_ID_ANNOTATION = 'paved.dev/provisioning-request';
export const RESOURCE_TYPE_ANNOTATION = 'paved.dev/resource-type';
export const STATE_ANNOTATION = 'paved.dev/provisioning-state';

/**
 * The annotations a type's steps asked for in the `catalogAnnotations` output,
 * e.g. `backstage.io/kubernetes-label-selector` so that the Kubernetes tab shows an
 * environment's workloads. String values only; outputs are never secret.
 */
function annotationsFromOutputs(
  request: ProvisioningRequest,
): Record<string, string> {
  const requested = request.outputs.catalogAnnotations;
  if (!requested || typeof requested !== 'object' || Array.isArray(requested)) {
    return {};
  }
  return Object.fromEntries(
    Object.entries(requested).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

/**
 * The catalog's view of one provisioned resource: a `Resource` owned by the
 * requesting team, `dependencyOf` the component it serves (the `component`
 * parameter, when the type has one), linking back to its self-service page.
 */
export function requestToEntity(
  request: ProvisioningRequest,
  options: { catalogType: string; typeTitle: string; appBaseUrl: string },
): Entity {
  const page = `${
    options.appBaseUrl
  }/self-service/requests/${encodeURIComponent(request.id)}`;
  const component = request.parameters.component;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: request.name,
      namespace: 'default',
      description: `${options.typeTitle} provisioned through Paved self-service by ${request.createdBy}`,
      annotations: {
        ...annotationsFromOutputs(request),
        'backstage.io/managed-by-location': `url:${page}`,
        'backstage.io/managed-by-origin-location': `url:${page}`,
        [REQUEST_ID_ANNOTATION]: request.id,
        [RESOURCE_TYPE_ANNOTATION]: request.type,
        [STATE_ANNOTATION]: request.state,
      },
      tags: ['self-service', request.type],
      links: [{ url: page, title: 'Self-service request', icon: 'dashboard' }],
    },
    spec: {
      type: options.catalogType,
      owner: request.owner,
      ...(typeof component === 'string' && component
        ? { dependencyOf: [component] }
        : {}),
    },
  };
}

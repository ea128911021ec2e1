import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The permission resource type of provisioning requests. Conditional decisions on it
 * are evaluated by the provisioning backend's rules (see {@link provisioningRequestConditions}).
 *
 * @public
 */
export const RESOURCE_TYPE_PROVISIONING_REQUEST = 'provisioning-request';

/** Request a new resource; evaluated against the request-to-be (its owner). @public */
export const provisioningRequestCreatePermission = createPermission({
  name: 'provisioning.request.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_PROVISIONING_REQUEST,
});

/** See a request, its outputs and timeline. @public */
export const provisioningRequestReadPermission = createPermission({
  name: 'provisioning.request.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_PROVISIONING_REQUEST,
});

/** Run a day-2 action on a request's resource. @public */
export const provisioningRequestUpdatePermission = createPermission({
  name: 'provisioning.request.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_PROVISIONING_REQUEST,
});

/** Delete a request, destroying its resource. @public */
export const provisioningRequestDeletePermission = createPermission({
  name: 'provisioning.request.delete',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_PROVISIONING_REQUEST,
});

/** Approve or reject a request that is pending approval. @public */
export const provisioningRequestApprovePermission = createPermission({
  name: 'provisioning.request.approve',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_PROVISIONING_REQUEST,
});

/** Every provisioning permission. @public */
export const provisioningPermissions = [
  provisioningRequestCreatePermission,
  provisioningRequestReadPermission,
  provisioningRequestUpdatePermission,
  provisioningRequestDeletePermission,
  provisioningRequestApprovePermission,
];

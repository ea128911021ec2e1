import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  ProvisioningRequest,
  RESOURCE_TYPE_PROVISIONING_REQUEST,
} from '@paved/plugin-provisioning-common';
import { z } from 'zod';
import { RequestQuery } from '../database/RequestStore';

/** Provisioning requests as a permission resource. */
export const provisioningRequestResourceRef = createPermissionResourceRef<
  ProvisioningRequest,
  RequestQuery
>().with({
  pluginId: 'provisioning',
  resourceType: RESOURCE_TYPE_PROVISIONING_REQUEST,
});

const claimsSchema = z.object({
  claims: z
    .array(z.string())
    .describe(
      "Entity refs the user owns through (their own and their groups', from ownershipEntityRefs)",
    ),
});

const lower = (refs: string[]) =>
  refs.map(ref => ref.toLocaleLowerCase('en-US'));

/** The request's owner is one of the claims. */
export const isRequestOwner = createPermissionRule({
  name: 'IS_REQUEST_OWNER',
  description: 'Allow requests owned by one of the given entity refs',
  resourceRef: provisioningRequestResourceRef,
  paramsSchema: claimsSchema,
  apply: (request, { claims }) => lower(claims).includes(request.owner),
  toQuery: ({ claims }) => ({ column: 'owner', values: lower(claims) }),
});

/** The group that must approve the request is one of the claims. */
export const isRequestApprover = createPermissionRule({
  name: 'IS_REQUEST_APPROVER',
  description:
    'Allow requests whose approval is routed to one of the given entity refs',
  resourceRef: provisioningRequestResourceRef,
  paramsSchema: claimsSchema,
  apply: (request, { claims }) =>
    request.approval !== undefined &&
    lower(claims).includes(request.approval.group),
  toQuery: ({ claims }) => ({
    column: 'approval_group',
    values: lower(claims),
  }),
});

export const provisioningRequestRules = [isRequestOwner, isRequestApprover];

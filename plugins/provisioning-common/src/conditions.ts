import {
  AuthorizeResult,
  ConditionalPolicyDecision,
  PermissionCondition,
  PermissionCriteria,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_PROVISIONING_REQUEST } from './permissions';

type RequestCondition = PermissionCondition<
  typeof RESOURCE_TYPE_PROVISIONING_REQUEST,
  { claims: string[] }
>;

/**
 * Conditions on provisioning requests for permission policies. The provisioning
 * backend registers the matching rules (same names) and evaluates them.
 *
 * @remarks
 * They live here, as plain data, rather than as `createConditionExports` of the
 * backend so that a policy depends on this small package and not on the backend.
 *
 * @public
 */
export const provisioningRequestConditions = {
  /** The request's owner is one of `claims` (the user's ownership entity refs). */
  isRequestOwner(params: { claims: string[] }): RequestCondition {
    return {
      rule: 'IS_REQUEST_OWNER',
      resourceType: RESOURCE_TYPE_PROVISIONING_REQUEST,
      params,
    };
  },
  /** The group that must approve the request is one of `claims`. */
  isRequestApprover(params: { claims: string[] }): RequestCondition {
    return {
      rule: 'IS_REQUEST_APPROVER',
      resourceType: RESOURCE_TYPE_PROVISIONING_REQUEST,
      params,
    };
  },
};

/**
 * Wraps conditions on provisioning requests into a policy decision.
 *
 * @public
 */
export function createProvisioningRequestConditionalDecision(
  permission: ResourcePermission<typeof RESOURCE_TYPE_PROVISIONING_REQUEST>,
  conditions: PermissionCriteria<
    PermissionCondition<typeof RESOURCE_TYPE_PROVISIONING_REQUEST>
  >,
): ConditionalPolicyDecision {
  return {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'provisioning',
    resourceType: permission.resourceType,
    conditions,
  };
}

import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  PermissionCriteria,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createConditionTransformer,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import {
  ProvisioningRequest,
  provisioningRequestApprovePermission,
  provisioningRequestCreatePermission,
  provisioningRequestDeletePermission,
  provisioningRequestReadPermission,
  RESOURCE_TYPE_PROVISIONING_REQUEST,
} from '@paved/plugin-provisioning-common';
import { RequestQuery } from '../database/RequestStore';
import { actorOf } from '@paved/backend-plugin-utils';

type RequestPermission = ResourcePermission<
  typeof RESOURCE_TYPE_PROVISIONING_REQUEST
>;

/** The candidate is a request-to-be for `create`, or the stored request. */
export type AuthorizableRequest = Pick<
  ProvisioningRequest,
  'type' | 'name' | 'owner' | 'approval'
>;

/** Permission decisions on requests, as the service needs them. */
export interface RequestAuthorizer {
  /** Throws a NotAllowedError naming the caller and the request unless allowed. */
  authorize(
    permission: RequestPermission,
    request: AuthorizableRequest,
    credentials: BackstageCredentials,
  ): Promise<void>;
  /** Undefined when the caller reads every request; a store filter otherwise. */
  readFilter(
    credentials: BackstageCredentials,
  ): Promise<PermissionCriteria<RequestQuery> | undefined>;
}

function verbOf(permission: RequestPermission): string {
  switch (permission.name) {
    case provisioningRequestCreatePermission.name:
      return 'request';
    case provisioningRequestReadPermission.name:
      return 'read';
    case provisioningRequestDeletePermission.name:
      return 'delete';
    case provisioningRequestApprovePermission.name:
      return 'approve or reject';
    default:
      return 'run actions on';
  }
}

/**
 * {@link RequestAuthorizer} through the permission framework. Conditional decisions
 * (e.g. "only owners") are evaluated here with the plugin's rules, against the
 * stored request or, for `create`, the request-to-be.
 */
export class PermissionRequestAuthorizer implements RequestAuthorizer {
  private readonly applies: (
    decision: PolicyDecision,
    request: ProvisioningRequest,
  ) => boolean;
  private readonly toQuery: ReturnType<
    typeof createConditionTransformer<RequestQuery>
  >;

  constructor(
    private readonly permissions: PermissionsService,
    ruleset: PermissionRuleset<ProvisioningRequest, RequestQuery>,
  ) {
    this.applies = createConditionAuthorizer(ruleset);
    this.toQuery = createConditionTransformer(ruleset);
  }

  async authorize(
    permission: RequestPermission,
    request: AuthorizableRequest,
    credentials: BackstageCredentials,
  ): Promise<void> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    if (
      decision.result === AuthorizeResult.ALLOW ||
      (decision.result === AuthorizeResult.CONDITIONAL &&
        this.applies(decision, request as ProvisioningRequest))
    ) {
      return;
    }
    throw new NotAllowedError(
      `${actorOf(credentials)} may not ${verbOf(permission)} ${request.type} '${
        request.name
      }' of ${request.owner}`,
    );
  }

  async readFilter(
    credentials: BackstageCredentials,
  ): Promise<PermissionCriteria<RequestQuery> | undefined> {
    const [decision] = await this.permissions.authorizeConditional(
      [{ permission: provisioningRequestReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(
        `${actorOf(credentials)} may not read provisioning requests`,
      );
    }
    return decision.result === AuthorizeResult.CONDITIONAL
      ? this.toQuery(decision.conditions)
      : undefined;
  }
}

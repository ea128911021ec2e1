import {
  BackstageCredentials,
  BackstageNonePrincipal,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
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
import { actorOf, ExpiringCache } from '@paved/backend-plugin-utils';

/**
 * How long a caller's read decision is reused. The policy decides from the caller's
 * groups, which their token carries for its lifetime (an hour): half a minute more
 * changes nothing that matters.
 */
export const READ_DECISION_TTL_MS = 30_000;

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

  /**
   * Each caller's decision on reading requests, reused for {@link READ_DECISION_TTL_MS}:
   * listing requests (the self-service page, every 20 rows) made a permission call
   * (a plugin token, an HTTP call to the permission backend, the policy) that cost
   * more than the query. Decisions on changes are asked every time.
   */
  private readonly readDecisions = new ExpiringCache<string, PolicyDecision>({
    ttlMs: READ_DECISION_TTL_MS,
  });

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
    const { principal } = credentials as BackstageCredentials<
      | BackstageUserPrincipal
      | BackstageServicePrincipal
      | BackstageNonePrincipal
    >;
    let caller = 'none';
    if (principal.type === 'user') caller = `user ${principal.userEntityRef}`;
    if (principal.type === 'service') caller = `service ${principal.subject}`;
    const decision = await this.readDecisions.get(caller, async () => {
      const [answer] = await this.permissions.authorizeConditional(
        [{ permission: provisioningRequestReadPermission }],
        { credentials },
      );
      return answer;
    });
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

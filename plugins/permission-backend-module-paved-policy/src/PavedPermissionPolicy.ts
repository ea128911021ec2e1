import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  catalogEntityCreatePermission,
  catalogEntityValidatePermission,
  catalogLocationAnalyzePermission,
  catalogLocationCreatePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  actionExecutePermission,
  taskCancelPermission,
  taskCreatePermission,
  templateDryRunPermission,
} from '@backstage/plugin-scaffolder-common/alpha';
import {
  createScaffolderTaskConditionalDecision,
  scaffolderTaskConditions,
} from '@backstage/plugin-scaffolder-backend/alpha';
import {
  createProvisioningRequestConditionalDecision,
  provisioningRequestApprovePermission,
  provisioningRequestConditions,
  RESOURCE_TYPE_PROVISIONING_REQUEST,
} from '@paved/plugin-provisioning-common';

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * Self-service actions every signed-in user may take: registering components and
 * running golden-path templates. They create things; they change nobody else's.
 */
const SELF_SERVICE = [
  catalogEntityCreatePermission,
  catalogLocationCreatePermission,
  catalogEntityValidatePermission,
  catalogLocationAnalyzePermission,
  taskCreatePermission,
  actionExecutePermission,
  templateDryRunPermission,
];

/**
 * Paved's permission policy: everyone signed in reads; owners change what their
 * groups own; members of the admin groups (the platform team) may do anything; every
 * other change is refused. Unknown permissions are denied unless they only read, so a
 * new plugin's mutations stay closed until the policy says who may use them.
 */
export class PavedPermissionPolicy implements PermissionPolicy {
  constructor(private readonly adminGroups: ReadonlySet<string>) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (claims.some(ref => this.adminGroups.has(ref))) {
      return ALLOW;
    }
    if (permission.attributes.action === 'read') {
      return ALLOW;
    }
    if (SELF_SERVICE.some(allowed => isPermission(permission, allowed))) {
      return ALLOW;
    }
    if (isResourcePermission(permission, 'catalog-entity')) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims }),
      );
    }
    if (isResourcePermission(permission, RESOURCE_TYPE_PROVISIONING_REQUEST)) {
      // Owning groups request, change and delete their resources; the group a
      // request's approval is routed to decides on it.
      return createProvisioningRequestConditionalDecision(
        permission,
        isPermission(permission, provisioningRequestApprovePermission)
          ? provisioningRequestConditions.isRequestApprover({ claims })
          : provisioningRequestConditions.isRequestOwner({ claims }),
      );
    }
    if (isPermission(permission, taskCancelPermission) && user) {
      return createScaffolderTaskConditionalDecision(
        taskCancelPermission,
        scaffolderTaskConditions.isTaskOwner({
          createdBy: [user.info.userEntityRef],
        }),
      );
    }
    return DENY;
  }
}

import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { PavedPermissionPolicy } from '@paved/plugin-permission-backend-module-paved-policy';

/**
 * The permissions service as the real backend would answer it with Paved's policy,
 * without the permission backend's HTTP round trip (the test backend's mock tokens
 * cannot make it): users get the policy's decision, with their group memberships as
 * ownership claims; services are allowed, as ServerPermissionClient does.
 */
export function pavedPolicyPermissions(
  memberships: Record<string, string[]>,
  adminGroups = ['group:default/platform-team'],
) {
  const policy = new PavedPermissionPolicy(new Set(adminGroups));
  const decide = async (
    permission: Permission,
    credentials: BackstageCredentials,
  ): Promise<PolicyDecision> => {
    const principal = credentials.principal as {
      type: string;
      userEntityRef?: string;
    };
    if (principal.type === 'service') {
      return { result: AuthorizeResult.ALLOW };
    }
    if (principal.type !== 'user' || !principal.userEntityRef) {
      return policy.handle({ permission });
    }
    const ref = principal.userEntityRef;
    const ownershipEntityRefs = [ref, ...(memberships[ref] ?? [])];
    return policy.handle({ permission }, {
      info: { userEntityRef: ref, ownershipEntityRefs },
    } as unknown as PolicyQueryUser);
  };

  const service: PermissionsService = {
    async authorizeConditional(queries, options) {
      const { credentials } = options as { credentials: BackstageCredentials };
      return Promise.all(
        queries.map(query => decide(query.permission, credentials)),
      ) as any;
    },
    async authorize(requests, options) {
      const { credentials } = options as { credentials: BackstageCredentials };
      return Promise.all(
        requests.map(async request => {
          const decision = await decide(request.permission, credentials);
          if (decision.result === AuthorizeResult.CONDITIONAL) {
            throw new Error('conditional authorize() is not supported here');
          }
          return decision;
        }),
      );
    },
  };
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () => service,
  });
}

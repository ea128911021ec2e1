import {
  BackstageCredentials,
  BackstageUserPrincipal,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';

/**
 * The user info service as the catalog would answer it for users whose groups
 * `members` gives, e.g. `{ 'user:default/bob': ['group:default/checkout-team'] }`.
 */
export function userInfoFromMembers(members: Record<string, string[]>) {
  return createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => ({
      async getUserInfo(credentials: BackstageCredentials) {
        const ref = (credentials.principal as BackstageUserPrincipal)
          .userEntityRef;
        return {
          userEntityRef: ref,
          ownershipEntityRefs: [ref, ...(members[ref] ?? [])],
        };
      },
    }),
  });
}

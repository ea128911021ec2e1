import {
  BackstageCredentials,
  BackstageNonePrincipal,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';

/**
 * Who acts, as records and timelines name them (`createdBy`, `decidedBy`, an
 * incident's notes): a user's entity ref, or a service's subject (e.g. `external:ci`
 * for a static token); `anonymous` for anyone else.
 *
 * @public
 */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as
    | BackstageUserPrincipal
    | BackstageServicePrincipal
    | BackstageNonePrincipal;
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  if (principal.type === 'service' && principal.subject) {
    return principal.subject;
  }
  return 'anonymous';
}

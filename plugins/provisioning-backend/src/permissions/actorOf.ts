import {
  BackstageCredentials,
  BackstageNonePrincipal,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';

/**
 * Who acts, as stored in `createdBy`, `decidedBy` and the timeline: a user's entity
 * ref, or a service's subject (e.g. `external:ci` for a static token).
 */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as
    | BackstageUserPrincipal
    | BackstageServicePrincipal
    | BackstageNonePrincipal;
  if (principal.type === 'user') {
    return principal.userEntityRef;
  }
  if (principal.type === 'service') {
    return principal.subject;
  }
  return 'anonymous';
}

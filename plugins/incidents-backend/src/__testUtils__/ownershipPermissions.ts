import {
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, RELATION_OWNED_BY } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  PermissionCriteria,
  PermissionCondition,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { PavedPermissionPolicy } from '@paved/plugin-permission-backend-module-paved-policy';

type Criteria = PermissionCriteria<PermissionCondition>;

/**
 * Applies the catalog's `IS_ENTITY_OWNER` rule (and `allOf`/`anyOf`/`not`) to an
 * entity, as the catalog does when the permission backend asks it to.
 */
function applies(criteria: Criteria, entity: Entity | undefined): boolean {
  if ('allOf' in criteria) return criteria.allOf.every(c => applies(c, entity));
  if ('anyOf' in criteria) return criteria.anyOf.some(c => applies(c, entity));
  if ('not' in criteria) return !applies(criteria.not, entity);
  if (criteria.rule !== 'IS_ENTITY_OWNER') {
    throw new Error(`rule ${criteria.rule} is not supported here`);
  }
  const claims = (criteria.params as { claims: string[] }).claims;
  return Boolean(
    entity?.relations?.some(
      r => r.type === RELATION_OWNED_BY && claims.includes(r.targetRef),
    ),
  );
}

/**
 * The permissions service as the real backend would answer it with Paved's policy,
 * without the permission backend's HTTP round trip: users get the policy's
 * decision with their group memberships as claims, and conditional decisions on
 * `catalog-entity` resources are applied to the test's entities; services are
 * allowed, as ServerPermissionClient does.
 */
export function ownershipPermissions(options: {
  memberships: Record<string, string[]>;
  entities: Entity[];
  adminGroups?: string[];
}) {
  const policy = new PavedPermissionPolicy(
    new Set(options.adminGroups ?? ['group:default/platform-team']),
  );
  const entityOf = (ref: string) =>
    options.entities.find(
      e =>
        `${e.kind}:${e.metadata.namespace ?? 'default'}/${
          e.metadata.name
        }`.toLocaleLowerCase('en-US') === ref,
    );

  const decide = async (
    request: { permission: any; resourceRef?: string },
    credentials: BackstageCredentials,
  ): Promise<PolicyDecision> => {
    const principal = credentials.principal as {
      type: string;
      userEntityRef?: string;
    };
    if (principal.type === 'service') {
      return { result: AuthorizeResult.ALLOW };
    }
    const ref = principal.userEntityRef ?? '';
    const decision = await policy.handle({ permission: request.permission }, {
      info: {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(options.memberships[ref] ?? [])],
      },
    } as unknown as PolicyQueryUser);
    if (decision.result !== AuthorizeResult.CONDITIONAL) {
      return decision;
    }
    if (!request.resourceRef) {
      throw new Error('a conditional decision needs a resourceRef here');
    }
    return {
      result: applies(decision.conditions, entityOf(request.resourceRef))
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY,
    };
  };

  const service: PermissionsService = {
    async authorizeConditional() {
      throw new Error('authorizeConditional is not supported here');
    },
    async authorize(requests, opts) {
      const { credentials } = opts as { credentials: BackstageCredentials };
      return Promise.all(
        requests.map(request => decide(request as any, credentials)),
      ) as any;
    },
  };
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () => service,
  });
}

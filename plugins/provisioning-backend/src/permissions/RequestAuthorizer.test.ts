import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PermissionCondition,
  PermissionCriteria,
} from '@backstage/plugin-permission-common';
import { createConditionTransformer } from '@backstage/plugin-permission-node';
import {
  createProvisioningRequestConditionalDecision,
  provisioningRequestConditions,
  provisioningRequestDeletePermission,
} from '@paved/plugin-provisioning-common';
import { PermissionRequestAuthorizer } from './RequestAuthorizer';
import { isRequestApprover, isRequestOwner } from './rules';

const ruleset = {
  getRuleByName: (name: string) =>
    [isRequestOwner, isRequestApprover].find(rule => rule.name === name)!,
} as any;

const request = {
  type: 'fake',
  name: 'orders-db',
  owner: 'group:default/payments-team',
};

describe('PermissionRequestAuthorizer', () => {
  it('applies conditional decisions to the request, case-insensitively', async () => {
    const permissions = mockServices.permissions.mock({
      authorizeConditional: async () => [
        createProvisioningRequestConditionalDecision(
          provisioningRequestDeletePermission,
          provisioningRequestConditions.isRequestOwner({
            claims: ['user:default/bob', 'group:default/Payments-Team'],
          }),
        ),
      ],
    });
    const authorizer = new PermissionRequestAuthorizer(permissions, ruleset);
    const bob = mockCredentials.user('user:default/bob');

    await expect(
      authorizer.authorize(provisioningRequestDeletePermission, request, bob),
    ).resolves.toBeUndefined();
    await expect(
      authorizer.authorize(
        provisioningRequestDeletePermission,
        { ...request, owner: 'group:default/orders-team' },
        bob,
      ),
    ).rejects.toThrow(
      "user:default/bob may not delete fake 'orders-db' of group:default/orders-team",
    );
  });

  it('turns a conditional read into a store filter', async () => {
    const conditions: PermissionCriteria<PermissionCondition> = {
      anyOf: [
        provisioningRequestConditions.isRequestOwner({
          claims: ['group:default/a'],
        }),
        provisioningRequestConditions.isRequestApprover({
          claims: ['group:default/b'],
        }),
      ],
    };
    const permissions = mockServices.permissions.mock({
      authorizeConditional: async () => [
        {
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'provisioning',
          resourceType: 'provisioning-request',
          conditions,
        },
      ],
    });
    const authorizer = new PermissionRequestAuthorizer(permissions, ruleset);
    expect(await authorizer.readFilter(mockCredentials.user())).toEqual(
      createConditionTransformer(ruleset)(conditions),
    );
    expect(await authorizer.readFilter(mockCredentials.user())).toEqual({
      anyOf: [
        { column: 'owner', values: ['group:default/a'] },
        { column: 'approval_group', values: ['group:default/b'] },
      ],
    });
  });

  it('refuses a denied read', async () => {
    const permissions = mockServices.permissions({
      result: AuthorizeResult.DENY,
    });
    const authorizer = new PermissionRequestAuthorizer(permissions, ruleset);
    await expect(authorizer.readFilter(mockCredentials.user())).rejects.toThrow(
      'user:default/mock may not read provisioning requests',
    );
  });
});

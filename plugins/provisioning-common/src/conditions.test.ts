import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  createProvisioningRequestConditionalDecision,
  provisioningRequestConditions,
} from './conditions';
import {
  provisioningPermissions,
  provisioningRequestDeletePermission,
} from './permissions';

describe('provisioning request conditions', () => {
  it('builds a conditional decision the provisioning backend evaluates', () => {
    expect(
      createProvisioningRequestConditionalDecision(
        provisioningRequestDeletePermission,
        provisioningRequestConditions.isRequestOwner({
          claims: ['group:default/payments-team'],
        }),
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'provisioning',
      resourceType: 'provisioning-request',
      conditions: {
        rule: 'IS_REQUEST_OWNER',
        resourceType: 'provisioning-request',
        params: { claims: ['group:default/payments-team'] },
      },
    });
  });

  it('defines one resource permission per verb', () => {
    expect(
      provisioningPermissions.map(p => [p.name, p.attributes.action]),
    ).toEqual([
      ['provisioning.request.create', 'create'],
      ['provisioning.request.read', 'read'],
      ['provisioning.request.update', 'update'],
      ['provisioning.request.delete', 'delete'],
      ['provisioning.request.approve', 'update'],
    ]);
    expect(
      provisioningPermissions.every(
        p => p.type === 'resource' && p.resourceType === 'provisioning-request',
      ),
    ).toBe(true);
  });
});

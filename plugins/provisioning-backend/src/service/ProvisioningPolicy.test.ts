import { ConfigReader } from '@backstage/config';
import { createFakeResourceType } from '../__testUtils__/fakeResourceType';
import { ProvisioningPolicy } from './ProvisioningPolicy';

const policyOf = (policy: object) =>
  ProvisioningPolicy.fromConfig(new ConfigReader({ provisioning: { policy } }));

const { type } = createFakeResourceType();
const requestOf = (
  parameters: object,
  owner = 'group:default/payments-team',
) => ({
  type: 'fake',
  name: 'orders-db',
  owner,
  parameters: parameters as any,
  createdBy: 'user:default/bob',
});

describe('ProvisioningPolicy', () => {
  it('picks the most specific quota', () => {
    const policy = policyOf({
      quotas: [
        { max: 10 },
        { type: 'fake', max: 5 },
        { owner: 'payments-team', max: 3 },
        { owner: 'group:default/payments-team', type: 'fake', max: 1 },
      ],
    });
    expect(policy.quotaFor('group:default/payments-team', 'fake')).toBe(1);
    expect(policy.quotaFor('group:default/payments-team', 'bucket')).toBe(3);
    expect(policy.quotaFor('group:default/orders-team', 'fake')).toBe(5);
    expect(policy.quotaFor('group:default/orders-team', 'bucket')).toBe(10);
    expect(policyOf({}).quotaFor('group:default/orders-team', 'fake')).toBe(
      undefined,
    );
  });

  it('routes requests that match an approval rule to its approvers', () => {
    const policy = policyOf({
      approvals: [
        {
          name: 'production',
          parameter: 'environment',
          equals: 'production',
          approvers: 'group:default/sre-team',
        },
        {
          name: 'large',
          types: ['fake'],
          parameter: 'sizeGb',
          greaterThan: 100,
        },
        { name: 'buckets', types: ['bucket'] },
      ],
    });
    expect(
      policy.approvalFor(requestOf({ environment: 'production' }), type),
    ).toEqual({
      group: 'group:default/sre-team',
      reason: 'rule \'production\': parameters.environment is "production"',
    });
    expect(
      policy.approvalFor(requestOf({ environment: 'dev', sizeGb: 200 }), type),
    ).toEqual({
      group: 'group:default/platform-team',
      reason: "rule 'large': parameters.sizeGb is 200, above 100",
    });
    expect(
      policy.approvalFor(requestOf({ environment: 'dev', sizeGb: 20 }), type),
    ).toBeUndefined();
  });

  it("asks the resource type's own policy too", () => {
    const policy = policyOf({ defaultApprovers: 'dba-team' });
    expect(
      policy.approvalFor(requestOf({ environment: 'dev', sizeGb: 500 }), type),
    ).toEqual({
      group: 'group:default/dba-team',
      reason: "resource type 'fake': the largest size needs a look",
    });
  });

  it('refuses a rule with a parameter but no condition', () => {
    expect(() =>
      policyOf({ approvals: [{ name: 'odd', parameter: 'environment' }] }),
    ).toThrow("rule 'odd' needs both a 'parameter' and one of");
  });
});

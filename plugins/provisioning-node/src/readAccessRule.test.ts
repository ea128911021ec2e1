import { JsonObject } from '@backstage/types';
import { readAccessRule } from './readAccessRule';
import { ReferencedRequest } from './StepContext';

interface Parameters extends JsonObject {
  bucket: string;
  component: string;
}

const rule = readAccessRule<Parameters>({
  parameter: 'bucket',
  type: 's3-bucket',
  describe: name => `read access to bucket ${name}`,
});

const request = (owner: string) => ({
  type: 's3-bucket-read-access',
  name: 'reports-reads-images',
  owner,
  parameters: { bucket: 'images', component: 'component:default/reports' },
  createdBy: 'user:default/bob',
});

const bucket = (owner: string): ReferencedRequest => ({
  id: 'bucket-id',
  type: 's3-bucket',
  name: 'images',
  owner,
  parameters: {},
  createdBy: 'user:default/bob',
  state: 'ready',
  outputs: {},
});

const approval = (
  requester: string,
  references: Record<string, ReferencedRequest>,
) => rule.policy.requiresApproval!(request(requester), { references });

describe('readAccessRule', () => {
  it('references the named request, to be read by the requester', () => {
    expect(rule.references(request('group:default/reports-team'))).toEqual([
      {
        field: 'parameters.bucket',
        type: 's3-bucket',
        name: 'images',
        permission: 'read',
      },
    ]);
    expect(rule.policy.quotaCost!(request('group:default/x'))).toBe(1);
  });

  it("needs no approval for the owning team's own components, however its ref is spelled", () => {
    const references = {
      'parameters.bucket': bucket('group:default/media-team'),
    };
    expect(approval('group:default/media-team', references)).toBeUndefined();
    expect(approval('media-team', references)).toBeUndefined();
  });

  it("needs the owners' approval for another team", () => {
    expect(
      approval('group:default/reports-team', {
        'parameters.bucket': bucket('group:default/media-team'),
      }),
    ).toEqual({
      reason:
        "read access to bucket images of group:default/media-team needs its owner's approval",
      approvers: 'group:default/media-team',
    });
  });

  it('needs an approval when the reference is not resolved', () => {
    expect(approval('group:default/media-team', {})).toEqual({
      reason:
        'read access to bucket images needs an approval: its owner is not known',
    });
  });
});

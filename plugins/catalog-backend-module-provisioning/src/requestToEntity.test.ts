import { ProvisioningRequest } from '@paved/plugin-provisioning-common';
import { requestToEntity } from './requestToEntity';

const request: ProvisioningRequest = {
  id: 'request-1',
  type: 'environment',
  name: 'checkout-pr-42',
  owner: 'group:default/payments-team',
  parameters: { component: 'component:default/checkout-service' },
  state: 'ready',
  outputs: {
    namespace: 'checkout-pr-42',
    catalogAnnotations: {
      'backstage.io/kubernetes-label-selector':
        'paved.dev/environment=checkout-pr-42',
      'backstage.io/kubernetes-namespace': 'checkout-pr-42',
      'paved.dev/provisioning-request': 'not-this-one',
      'paved.dev/not-a-string': 7,
    },
  },
  createdBy: 'user:default/bob',
  createdAt: '2026-11-26T00:00:00.000Z',
  updatedAt: '2026-11-26T00:00:00.000Z',
};

describe('requestToEntity', () => {
  const entity = requestToEntity(request, {
    catalogType: 'environment',
    typeTitle: 'Environment',
    appBaseUrl: 'http://portal.test',
  });

  it("adds the annotations the type's steps asked for", () => {
    expect(entity.metadata.annotations).toMatchObject({
      'backstage.io/kubernetes-label-selector':
        'paved.dev/environment=checkout-pr-42',
      'backstage.io/kubernetes-namespace': 'checkout-pr-42',
    });
  });

  it('keeps its own annotations and only string values', () => {
    expect(
      entity.metadata.annotations?.['paved.dev/provisioning-request'],
    ).toBe('request-1');
    expect(entity.metadata.annotations).not.toHaveProperty(
      'paved.dev/not-a-string',
    );
    expect(entity.spec).toEqual({
      type: 'environment',
      owner: 'group:default/payments-team',
      dependencyOf: ['component:default/checkout-service'],
    });
  });
});
